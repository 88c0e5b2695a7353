package cost

import (
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/providers"
)

// Schedule triggers. EventBridge Scheduler bills each invocation, Cloud
// Scheduler each job by the month; an Azure timer trigger has no charge of
// its own (each firing is an execution of the function app).

// gregorianDays is the length of the Gregorian calendar's 400-year cycle,
// over which day of month, month and weekday combine in every way they can.
const gregorianDays = 146097

// dayShare is the share of days a schedule runs on: the days of the
// 400-year cycle whose month, day of month and weekday it picks (by its
// day rule, see blueprints.Cron.Days), over all of them.
func dayShare(c blueprints.Cron) float64 {
	dom, mon, dow := c.Fields[blueprints.CronDay], c.Fields[blueprints.CronMonth], c.Fields[blueprints.CronWeekday]
	rule := c.Days()
	n, wd := 0, 1 // 2001-01-01 was a Monday
	for y := 2001; y <= 2400; y++ {
		for m := 1; m <= 12; m++ {
			for d := 1; d <= daysIn(y, m); d++ {
				if mon.Has(m) {
					switch rule {
					case blueprints.EveryDay:
						n++
					case blueprints.ByMonthDay:
						n += b2i(dom.Has(d))
					case blueprints.ByWeekday:
						n += b2i(dow.Has(wd))
					case blueprints.MonthDayAndWeekday:
						n += b2i(dom.Has(d) && dow.Has(wd))
					case blueprints.MonthDayOrWeekday:
						n += b2i(dom.Has(d) || dow.Has(wd))
					}
				}
				wd = (wd + 1) % 7
			}
		}
	}
	return float64(n) / gregorianDays
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// runsPerMonth is how often a schedule fires in the estimate's month of
// HoursPerMonth hours: the times of day it picks on the average share of
// days it runs on. Time zone shifts (a skipped or repeated hour) are not
// counted.
func runsPerMonth(c blueprints.Cron) float64 {
	perDay := bits.OnesCount64(c.Fields[blueprints.CronMinute].Bits) * bits.OnesCount64(c.Fields[blueprints.CronHour].Bits)
	return float64(perDay) * dayShare(c) * HoursPerMonth / 24
}

// schedules lists a function's schedule triggers with their firings per
// month; split says the cloud runs a schedule on either day field as two
// schedules, one per field (so a day matching both fires twice).
func schedules(r *blueprints.Resource, split bool) (runs float64, texts []string) {
	if r == nil || r.Function == nil {
		return 0, nil
	}
	for _, s := range providers.Schedules(r.Function) {
		c := s.Trigger.Cron
		n := runsPerMonth(c)
		if split && c.Days() == blueprints.MonthDayOrWeekday {
			dom, dow := providers.SplitDays(c)
			n = runsPerMonth(dom) + runsPerMonth(dow)
		}
		runs += n
		texts = append(texts, fmt.Sprintf("%q %s", c.Text, runsText(n)))
	}
	return runs, texts
}

// runsText writes a number of firings, whole when it is one.
func runsText(n float64) string {
	if n == math.Round(n) {
		return count(int(n)) + " a month"
	}
	return fmt.Sprintf("%.1f a month", n)
}

// awsSchedules: each EventBridge Scheduler invocation is billed, after the
// account's 14M free a month.
func (l *lister) awsSchedules() {
	runs, texts := schedules(l.r, true)
	if len(texts) == 0 {
		return
	}
	l.add(Item{SKU: "aws.scheduler.invocations", What: "EventBridge Scheduler invocations", Quantity: runs / 1e6, Unit: "1M invocations",
		Basis:    "schedules " + strings.Join(texts, ", "),
		freeTier: "aws.scheduler.invocations"})
}

// gcpSchedules: Cloud Scheduler bills each job by the month, whatever it
// runs, after the billing account's three free jobs.
func (l *lister) gcpSchedules() {
	_, texts := schedules(l.r, false)
	if len(texts) == 0 {
		return
	}
	l.add(Item{SKU: "gcp.scheduler.job", What: "Cloud Scheduler jobs", Quantity: float64(len(texts)), Unit: "job-month",
		Basis:    fmt.Sprintf("%d job(s): %s", len(texts), strings.Join(texts, ", ")),
		freeTier: "gcp.scheduler.jobs"})
}

// azureScheduleNote is the note a scheduled function's executions carry:
// timer triggers cost nothing apart.
func azureScheduleNote(r *blueprints.Resource) string {
	runs, texts := schedules(r, false)
	if len(texts) == 0 {
		return ""
	}
	return fmt.Sprintf("timer triggers have no charge of their own: their %s firings a month (%s) are executions of the function app, counted like any other in the requests assumed",
		strings.TrimSuffix(runsText(runs), " a month"), strings.Join(texts, ", "))
}
