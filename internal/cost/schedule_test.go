package cost

import (
	"math"
	"testing"

	"github.com/skyform/skyform/blueprints"
)

// Firings per month of the estimate's 730-hour month, by day rule.
func TestRunsPerMonth(t *testing.T) {
	for _, c := range []struct {
		expr string
		want float64
	}{
		{"0 * * * *", 730},                                 // every hour
		{"*/15 * * * *", 2920},                             // four an hour
		{"0 0 * * *", 730.0 / 24},                          // daily
		{"0 14 * * SAT", 730.0 / 24 / 7},                   // one weekday
		{"*/30 8-17 * * MON-FRI", 20 * 730.0 / 24 * 5 / 7}, // 20 a day on five weekdays
		{"0 0 1 * *", 730.0 / 24 * 4800 / 146097},          // the 1st of every month: once a month, less the calendar month's excess over 730 hours
		{"0 0 1 1 *", 730.0 / 24 * 400 / 146097},           // yearly
		{"0 0 29 2 *", 730.0 / 24 * 97 / 146097},           // 29 February: 97 leap years in 400
		{"0 0 31 * *", 730.0 / 24 * 7 * 400 / 146097},      // seven months have a 31st
		{"0 0 13 * 5", 730.0 / 24 * (4800 + 146097/7 - 688) / 146097},
	} {
		cr, err := blueprints.ParseCron(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := runsPerMonth(cr); math.Abs(got-c.want) > 1e-9*math.Max(1, c.want) {
			t.Errorf("runsPerMonth(%q) = %v, want %v", c.expr, got, c.want)
		}
	}
}

const scheduled = `blueprint: reports
region: us-east
resources:
  report:
    kind: function
    runtime: python3.12
    source: ./fn
    triggers:
      - schedule: "0 * * * *"
        timezone: UTC
      - schedule: "0 0 1 * MON"
        timezone: UTC
`

// A function's schedules are priced as EventBridge Scheduler invocations
// on AWS (a schedule on either day field runs as two), Cloud Scheduler jobs
// on GCP, and named in the executions' note on Azure, where they cost
// nothing apart; the free tiers take them off.
func TestSchedulesPriced(t *testing.T) {
	bp := parse(t, scheduled)
	tb := table(t, `aws,us-east-1,aws.scheduler.invocations,EventBridge Scheduler,1M invocations,1,test,2026-12-02
gcp,us-east1,gcp.scheduler.job,Cloud Scheduler job,job-month,0.1,test,2026-12-02
`)
	rep, ds, err := Estimate(bp, Options{Regions: []string{"us-east"}, Table: tb})
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	// Hourly: 730. The 1st or a Monday, split in two schedules: the 1st
	// (4,800 of the cycle's days) and Mondays (20,871), 1st Mondays twice.
	dom, dow := 4800.0/146097*730/24, 20871.0/146097*730/24
	inv := find(t, rep, blueprints.AWS, "report", "aws.scheduler.invocations")
	if want := (730 + dom + dow) / 1e6; math.Abs(inv.Quantity-want) > 1e-12 || inv.Unit != "1M invocations" {
		t.Errorf("invocations = %v %s, want %v", inv.Quantity, inv.Unit, want)
	}
	if math.Abs(inv.USD["us-east"]-inv.Quantity) > 1e-12 {
		t.Errorf("invocations cost %v, want %v", inv.USD["us-east"], inv.Quantity)
	}
	jobs := find(t, rep, blueprints.GCP, "report", "gcp.scheduler.job")
	if jobs.Quantity != 2 || jobs.USD["us-east"] != 0.2 {
		t.Errorf("jobs = %+v, want 2 job-months at $0.20", jobs)
	}
	for _, ft := range rep.FreeTiers {
		switch ft.Name {
		case "EventBridge Scheduler invocations":
			if math.Abs(ft.USD["us-east"]-inv.USD["us-east"]) > 1e-12 {
				t.Errorf("free tier %+v does not cover the %v invocations", ft, inv.Quantity)
			}
		case "Cloud Scheduler jobs":
			if math.Abs(ft.USD["us-east"]-0.2) > 1e-12 {
				t.Errorf("free tier %+v does not cover the two jobs", ft)
			}
		}
	}
	exec := find(t, rep, blueprints.Azure, "report", "azure.functions.flex.executions")
	if want := "timer triggers have no charge of their own"; len(exec.Note) < len(want) || exec.Note[:len(want)] != want {
		t.Errorf("azure executions note = %q", exec.Note)
	}
	for _, it := range rep.Items {
		if it.Cloud == blueprints.Azure && it.Resource == "report" && it.Kind == blueprints.KindFunction && it.SKU != "azure.functions.flex.executions" && it.SKU != "azure.functions.flex.memory" {
			t.Errorf("azure has an item of its own for the schedules: %+v", it)
		}
	}
}
