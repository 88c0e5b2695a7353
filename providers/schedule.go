package providers

import (
	"fmt"

	"github.com/skyform/skyform/blueprints"
)

// Schedule is one schedule trigger of a function as the clouds key it.
type Schedule struct {
	// Key names the schedule inside the function's module: "1", "2"... in
	// the order of the function's schedule triggers.
	Key string
	// Field is the trigger's schedule field ("triggers[2].schedule"), where
	// diagnostics about it point.
	Field   string
	Trigger *blueprints.ScheduleTrigger
}

// Schedules lists a function's schedule triggers in order.
func Schedules(f *blueprints.Function) []Schedule {
	var out []Schedule
	for i, t := range f.Triggers {
		if t.Schedule == nil {
			continue
		}
		out = append(out, Schedule{
			Key:     fmt.Sprint(len(out) + 1),
			Field:   TriggerField(i) + ".schedule",
			Trigger: t.Schedule,
		})
	}
	return out
}

// SplitDays splits a schedule that runs on the days matching either of its
// day fields (standard cron's rule when neither starts with "*") into one
// schedule per day field, for the cron dialects that take only one of them
// or require both to match. A day matching both fields then runs twice.
func SplitDays(c blueprints.Cron) (monthDays, weekdays blueprints.Cron) {
	monthDays, weekdays = c, c
	monthDays.Fields[blueprints.CronWeekday] = blueprints.CronFull(blueprints.CronWeekday)
	weekdays.Fields[blueprints.CronDay] = blueprints.CronFull(blueprints.CronDay)
	return monthDays, weekdays
}
