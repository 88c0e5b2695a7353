package aws

import (
	"testing"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/providers"
)

func TestEventBridgeCron(t *testing.T) {
	cases := map[string]struct {
		reason string
		cron   string
		want   string
		// split holds the two expressions of a schedule on both day fields.
		split [2]string
	}{
		"weekly":        {reason: "a day of week takes ? in the day of month", cron: "0 14 * * SAT", want: "cron(0 14 ? * SAT *)"},
		"daily":         {reason: "every day: * in the day of month, ? in the day of week", cron: "30 6 * * *", want: "cron(30 6 * * ? *)"},
		"monthly":       {reason: "a day of month takes ? in the day of week", cron: "0 0 1,15 * *", want: "cron(0 0 1,15 * ? *)"},
		"steps":         {reason: "a step over the whole field starts from its lowest value", cron: "*/15 */6 */2 * *", want: "cron(0/15 0/6 1/2 * ? *)"},
		"range step":    {reason: "a step over part of a field is listed", cron: "0 9-17/4 * * *", want: "cron(0 9,13,17 * * ? *)"},
		"weekday range": {reason: "weekday numbers become names, Sunday 0 or 7 alike", cron: "0 8 * * 1-5", want: "cron(0 8 ? * MON-FRI *)"},
		"sunday 7":      {reason: "7 is Sunday", cron: "0 8 * * 6,7", want: "cron(0 8 ? * SUN,SAT *)"},
		"weekday step":  {reason: "EventBridge has no step in the day of week: a list", cron: "0 8 * * */2", want: "cron(0 8 ? * SUN,TUE,THU,SAT *)"},
		"months":        {reason: "month names become numbers", cron: "0 0 1 JAN,JUL *", want: "cron(0 0 1 1,7 ? *)"},
		"full day list": {reason: "a day of month listing every day restricts nothing: the day of week alone picks", cron: "0 0 1-31 * MON", want: "cron(0 0 * * ? *)"},
		"both days": {reason: "either day field matching: two schedules", cron: "0 0 1 * MON",
			split: [2]string{"cron(0 0 1 * ? *)", "cron(0 0 ? * MON *)"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, perr := blueprints.ParseCron(tc.cron)
			if perr != nil {
				t.Fatal(perr)
			}
			got, ok := eventBridgeCron(c)
			if tc.want != "" {
				if !ok || got != tc.want {
					t.Errorf("%s: got %q (%v), want %q", tc.reason, got, ok, tc.want)
				}
				return
			}
			if ok {
				t.Fatalf("%s: %q converted to one expression %q", tc.reason, tc.cron, got)
			}
			dom, dow := providers.SplitDays(c)
			a, _ := eventBridgeCron(dom)
			b, _ := eventBridgeCron(dow)
			if [2]string{a, b} != tc.split {
				t.Errorf("%s: split into %q, %q, want %q", tc.reason, a, b, tc.split)
			}
		})
	}
}
