package azure

import (
	"fmt"
	"math/bits"
	"strings"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// zoneYear is the year whose rules of the built-in tz database give a
// zone's standard and daylight saving offsets, so that the same blueprint
// always lowers to the same UTC schedule.
const zoneYear = 2026

// zoneOffsets returns a zone's standard offset and, when it observes
// daylight saving time, its daylight offset, in minutes east of UTC.
func zoneOffsets(loc *time.Location) (std int, dst int, hasDST bool) {
	first := true
	for t := time.Date(zoneYear, 1, 1, 12, 0, 0, 0, time.UTC); t.Year() == zoneYear; t = t.AddDate(0, 0, 1) {
		_, off := t.In(loc).Zone()
		if t.In(loc).IsDST() {
			dst, hasDST = off/60, true
		} else if first {
			std, first = off/60, false
		}
	}
	if first {
		// A zone in daylight saving time all year: its clock is its standard.
		std, hasDST = dst, false
	}
	return std, dst, hasDST
}

// utcSchedule converts a schedule read in a zone with a fixed offset
// (minutes east of UTC) into the same schedule in UTC. ok is false, with
// the reason, when no single five-field schedule in UTC names the same
// times: when shifting the times moves some of them, but not all, to
// another day, or moves a day of the month across a month's end.
func utcSchedule(c blueprints.Cron, offset int) (utc blueprints.Cron, ok bool, why string) {
	if offset == 0 {
		return c, true, ""
	}
	// The UTC times of the day, grouped by the day they fall on (-1, 0, +1
	// relative to the local day).
	type hm struct{ h, m int }
	groups := map[int]map[hm]bool{}
	for _, h := range c.Fields[blueprints.CronHour].Values() {
		for _, m := range c.Fields[blueprints.CronMinute].Values() {
			t := h*60 + m - offset
			day := 0
			for t < 0 {
				t, day = t+1440, day-1
			}
			for t >= 1440 {
				t, day = t-1440, day+1
			}
			if groups[day] == nil {
				groups[day] = map[hm]bool{}
			}
			groups[day][hm{t / 60, t % 60}] = true
		}
	}
	days, monthsAll := c.Days(), c.Full(blueprints.CronMonth)
	var times map[hm]bool
	shift := 0
	switch {
	case len(groups) == 1:
		for d, g := range groups {
			shift, times = d, g
		}
	case days == blueprints.EveryDay && monthsAll:
		// Every day alike: which day a time came from does not matter.
		times = map[hm]bool{}
		for _, g := range groups {
			for t := range g {
				times[t] = true
			}
		}
	default:
		return c, false, "some of its times fall on the previous or next day in UTC and others do not"
	}
	var hours, minutes uint64
	for t := range times {
		hours |= 1 << uint(t.h)
		minutes |= 1 << uint(t.m)
	}
	if bits.OnesCount64(hours)*bits.OnesCount64(minutes) != len(times) {
		return c, false, "its times in UTC are not every combination of a set of hours and a set of minutes"
	}
	utc = c
	utc.Fields[blueprints.CronHour] = cronField(hours, blueprints.CronHour)
	utc.Fields[blueprints.CronMinute] = cronField(minutes, blueprints.CronMinute)
	if shift == 0 || days == blueprints.EveryDay && monthsAll {
		return utc, true, ""
	}
	if !monthsAll && (days == blueprints.EveryDay || days == blueprints.ByWeekday) {
		return c, false, "its times move to another day in UTC, and on the first or last day of a month that day lies in another month"
	}
	if days == blueprints.ByMonthDay || days == blueprints.MonthDayAndWeekday {
		dom := c.Fields[blueprints.CronDay]
		switch {
		case shift < 0 && dom.Has(1):
			return c, false, "its times on the 1st of the month fall on the last day of the month before in UTC, which has no fixed number"
		case shift > 0 && dom.Bits>>28 != 0:
			return c, false, "its times on the 28th or later fall on the next day in UTC, which may be the 1st of the next month"
		}
		var b uint64
		if shift < 0 {
			b = dom.Bits >> 1
		} else {
			b = dom.Bits << 1
		}
		utc.Fields[blueprints.CronDay] = blueprints.CronField{Bits: b, Star: dom.Star}
	}
	if days == blueprints.ByWeekday || days == blueprints.MonthDayAndWeekday {
		dow := c.Fields[blueprints.CronWeekday]
		var b uint64
		for _, v := range dow.Values() {
			b |= 1 << uint((v+shift+7)%7)
		}
		utc.Fields[blueprints.CronWeekday] = blueprints.CronField{Bits: b, Star: dow.Star}
	}
	return utc, true, ""
}

func cronField(b uint64, i int) blueprints.CronField {
	f := blueprints.CronField{Bits: b}
	f.Star = b == blueprints.CronFull(i).Bits
	return f
}

// ncrontab writes a schedule as the Functions host's NCRONTAB expression:
// six fields, seconds first.
func ncrontab(c blueprints.Cron) string {
	fields := []string{"0"}
	for i := blueprints.CronMinute; i <= blueprints.CronWeekday; i++ {
		fields = append(fields, c.Format(i, blueprints.CronStyle{}))
	}
	return strings.Join(fields, " ")
}

// offsetName writes an offset in minutes as UTC+01:00.
func offsetName(min int) string {
	sign := "+"
	if min < 0 {
		sign, min = "-", -min
	}
	return fmt.Sprintf("UTC%s%02d:%02d", sign, min/60, min%60)
}

// scheduleSetting is the app setting holding a schedule's NCRONTAB
// expression, which the code's timer trigger names as %TIMER_SCHEDULE_<key>%.
func scheduleSetting(key string) string {
	return "TIMER_SCHEDULE_" + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

// schedules lowers the function's schedule triggers to app settings holding
// NCRONTAB expressions in UTC: on Linux Flex Consumption the Functions host
// reads timer schedules in UTC and ignores WEBSITE_TIME_ZONE, and the timer
// trigger itself is declared in the function's code.
func (l *lowering) schedules(r *blueprints.Resource, b *tfir.Block) {
	var o tfir.Object
	for _, s := range providers.Schedules(r.Function) {
		c, tz := s.Trigger.Cron, s.Trigger.Timezone
		crons := []blueprints.Cron{c}
		keys := []string{s.Key}
		var notes []string
		switch c.Days() {
		case blueprints.MonthDayOrWeekday:
			dom, dow := providers.SplitDays(c)
			crons, keys = []blueprints.Cron{dom, dow}, []string{s.Key + "-dom", s.Key + "-dow"}
			notes = append(notes, "standard cron runs on the days that match either the day of month or the day of week, where NCRONTAB requires both to match, so there are two schedules and the code declares a timer trigger for each; a day that matches both runs twice")
		}
		std, dst, hasDST := zoneOffsets(s.Trigger.Location)
		var exprs []string
		failed := false
		for i, cr := range crons {
			utc, ok, why := utcSchedule(cr, std)
			if !ok {
				l.ds = providers.Unsupported(l.ds, azure, r, s.Field, "schedule "+c.Text+" in "+tz,
					"the Functions host on Flex Consumption reads timer schedules in UTC (WEBSITE_TIME_ZONE is not honoured on Linux Consumption or Flex Consumption), and in %s (%s) the schedule has no UTC equivalent: %s; write the schedule in UTC (timezone: UTC) or place the function on another cloud",
					tz, offsetName(std), why)
				failed = true
				break
			}
			expr := ncrontab(utc)
			exprs = append(exprs, fmt.Sprintf("%s = %q", scheduleSetting(keys[i]), expr))
			o = append(o, tfir.ObjectAttr{Key: keys[i], Value: tfir.String(expr)})
		}
		if failed {
			continue
		}
		if std != 0 || hasDST {
			note := fmt.Sprintf("the Functions host on Flex Consumption reads timer schedules in UTC (WEBSITE_TIME_ZONE is not honoured on Linux Consumption or Flex Consumption), so the times are converted with %s's standard offset, %s", tz, offsetName(std))
			if hasDST {
				dir, diff := "later", dst-std
				if diff < 0 {
					dir, diff = "earlier", -diff
				}
				note += fmt.Sprintf("; while daylight saving time is in effect (%s) the function runs %s %s by the local clock", offsetName(dst), fmtMinutes(diff), dir)
			}
			notes = append(notes, note)
		}
		detail := fmt.Sprintf("Azure declares timer triggers in the function's code: skyform sets the app setting %s, and the code must declare a timerTrigger with schedule \"%%%s%%\"", strings.Join(exprs, " and "), scheduleSetting(keys[0]))
		if len(keys) > 1 {
			detail += fmt.Sprintf(" and another with \"%%%s%%\"", scheduleSetting(keys[1]))
		}
		for _, n := range notes {
			detail += "; " + n
		}
		l.ds = providers.Approximated(l.ds, azure, r, s.Field, "schedule trigger", "%s", detail)
	}
	if len(o) > 0 {
		b.Set("schedule_triggers", o)
	}
}

// fmtMinutes writes a whole number of minutes as "1 hour", "30 minutes" or
// "1h30m".
func fmtMinutes(m int) string {
	switch {
	case m == 60:
		return "1 hour"
	case m%60 == 0:
		return fmt.Sprintf("%d hours", m/60)
	case m < 60:
		return fmt.Sprintf("%d minutes", m)
	}
	return fmt.Sprintf("%dh%02dm", m/60, m%60)
}
