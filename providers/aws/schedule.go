package aws

import (
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// eventBridgeStyle is how EventBridge Scheduler writes cron fields: steps
// from the field's lowest value ("0/15"), days of week as SUN-SAT.
var eventBridgeStyle = blueprints.CronStyle{StepFrom: true, WeekdayNames: true}

// eventBridgeCron writes a schedule as an EventBridge Scheduler cron
// expression: six fields (the year last) where exactly one of the two day
// fields is "?". ok is false when the schedule restricts both day fields,
// which EventBridge cannot express in one expression.
func eventBridgeCron(c blueprints.Cron) (expr string, ok bool) {
	dom, dow := c.Format(blueprints.CronDay, eventBridgeStyle), "?"
	switch c.Days() {
	case blueprints.ByWeekday:
		dom, dow = "?", c.Format(blueprints.CronWeekday, eventBridgeStyle)
	case blueprints.MonthDayAndWeekday, blueprints.MonthDayOrWeekday:
		return "", false
	}
	return "cron(" + strings.Join([]string{
		c.Format(blueprints.CronMinute, eventBridgeStyle),
		c.Format(blueprints.CronHour, eventBridgeStyle),
		dom,
		c.Format(blueprints.CronMonth, eventBridgeStyle),
		dow,
		"*",
	}, " ") + ")", true
}

// schedules lowers the function's schedule triggers to EventBridge
// Scheduler schedules, keyed as providers.Schedules keys them; a schedule
// on both day fields becomes two, "<key>-dom" and "<key>-dow".
func (l *lowering) schedules(r *blueprints.Resource, b *tfir.Block) {
	var o tfir.Object
	add := func(key, expr, tz string) {
		o = append(o, tfir.ObjectAttr{Key: key, Value: tfir.Object{
			{Key: "expression", Value: tfir.String(expr)},
			{Key: "timezone", Value: tfir.String(tz)},
		}})
	}
	for _, s := range providers.Schedules(r.Function) {
		c, tz := s.Trigger.Cron, s.Trigger.Timezone
		if expr, ok := eventBridgeCron(c); ok {
			add(s.Key, expr, tz)
			continue
		}
		if c.Days() == blueprints.MonthDayAndWeekday {
			l.ds = providers.Unsupported(l.ds, cloud, r, s.Field, "schedule "+c.Text,
				"the schedule runs on the days that match both its day of month (%s, written starting with *) and its day of week; an EventBridge Scheduler cron expression restricts only one of the two, so write the days as a list without * or place the function on another cloud",
				c.Format(blueprints.CronDay, blueprints.CronStyle{}))
			continue
		}
		monthDays, weekdays := providers.SplitDays(c)
		dom, _ := eventBridgeCron(monthDays)
		dow, _ := eventBridgeCron(weekdays)
		add(s.Key+"-dom", dom, tz)
		add(s.Key+"-dow", dow, tz)
		l.ds = providers.Approximated(l.ds, cloud, r, s.Field, "schedule "+c.Text,
			"standard cron runs on the days that match either the day of month or the day of week; an EventBridge Scheduler expression restricts only one of them, so the function gets two schedules, %s and %s, and runs twice on a day that matches both", dom, dow)
	}
	if len(o) > 0 {
		b.Set("schedule_triggers", o)
	}
}
