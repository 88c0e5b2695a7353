package blueprints

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCron(t *testing.T) {
	cases := map[string]struct {
		reason   string
		expr     string
		values   [5][]int
		days     DayRule
		standard string
	}{
		"weekly": {
			reason: "names for days, one time a week",
			expr:   "0 14 * * SAT",
			values: [5][]int{{0}, {14}, nil, nil, {6}}, days: ByWeekday, standard: "0 14 * * 6",
		},
		"steps and ranges": {
			reason: "a step over the whole field, a range with a step, a list",
			expr:   "*/15 9-17/4 1,15 * *",
			values: [5][]int{{0, 15, 30, 45}, {9, 13, 17}, {1, 15}, nil, nil}, days: ByMonthDay, standard: "*/15 9-17/4 1,15 * *",
		},
		"sunday as 7": {
			reason: "0 and 7 both mean Sunday; ranges may end at 7",
			expr:   "0 0 * * 5-7",
			values: [5][]int{{0}, {0}, nil, nil, {0, 5, 6}}, days: ByWeekday, standard: "0 0 * * 0,5,6",
		},
		"names with L and W": {
			reason: "JUL and WED are names, not Quartz's L and W",
			expr:   "0 0 * JUL,APR WED",
			values: [5][]int{{0}, {0}, nil, {4, 7}, {3}}, days: ByWeekday, standard: "0 0 * 7,4 3",
		},
		"month names": {
			reason: "month names in any case, in a range",
			expr:   "30 6 1 mar-Oct *",
			values: [5][]int{{30}, {6}, {1}, {3, 4, 5, 6, 7, 8, 9, 10}, nil}, days: ByMonthDay, standard: "30 6 1 3-10 *",
		},
		"both day fields": {
			reason: "neither day field starts with *: either one matching is enough",
			expr:   "0 0 1 * MON",
			values: [5][]int{{0}, {0}, {1}, nil, {1}}, days: MonthDayOrWeekday, standard: "0 0 1 * 1",
		},
		"starred day step": {
			reason: "a day field starting with * makes both fields match",
			expr:   "0 0 */2 * MON",
			values: [5][]int{{0}, {0}, {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31}, nil, {1}}, days: MonthDayAndWeekday, standard: "0 0 */2 * 1",
		},
		"full ranges": {
			reason: "a day field written as its full range still restricts nothing",
			expr:   "0 0 1-31 * MON",
			values: [5][]int{{0}, {0}, nil, nil, {1}}, days: EveryDay, standard: "0 0 1-31 * 1",
		},
		"macro": {
			reason: "shorthands expand to their expressions",
			expr:   "@weekly",
			values: [5][]int{{0}, {0}, nil, nil, {0}}, days: ByWeekday, standard: "0 0 * * 0",
		},
		"extra spaces": {
			reason: "fields are separated by any run of blanks",
			expr:   " 5  4\t* * * ",
			values: [5][]int{{5}, {4}, nil, nil, nil}, days: EveryDay, standard: "5 4 * * *",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := ParseCron(tc.expr)
			if err != nil {
				t.Fatalf("%s: %v", tc.reason, err)
			}
			var got [5][]int
			for i := range got {
				if !c.Full(i) {
					got[i] = c.Fields[i].Values()
				}
			}
			if diff := cmp.Diff(tc.values, got); diff != "" {
				t.Errorf("%s: values (-want +got):\n%s", tc.reason, diff)
			}
			if c.Days() != tc.days {
				t.Errorf("%s: days = %v, want %v", tc.reason, c.Days(), tc.days)
			}
			if s := c.Standard(); s != tc.standard {
				t.Errorf("%s: standard = %q, want %q", tc.reason, s, tc.standard)
			}
			again, err := ParseCron(c.Standard())
			if err != nil || again.Fields != c.Fields {
				t.Errorf("%s: the standard form %q does not parse to the same schedule: %v", tc.reason, c.Standard(), err)
			}
		})
	}
}

func TestParseCronErrors(t *testing.T) {
	cases := map[string]struct {
		expr    string
		offset  int
		summary string
	}{
		"hour":          {"0 25 * * *", 2, "hour 25 out of range"},
		"minute":        {"60 * * * *", 0, "minute 60 out of range"},
		"day":           {"0 0 0 * *", 4, "day of month 0 out of range"},
		"range end":     {"0 9-24 * * *", 4, "hour 24 out of range"},
		"list item":     {"0 1,2,x * * *", 6, `invalid hour "x"`},
		"empty item":    {"0 1,,2 * * *", 4, "empty item in the cron hour field"},
		"step":          {"0 */25 * * *", 4, `invalid step "25" in the cron hour field`},
		"bare step":     {"5/10 * * * *", 0, `step without a range in "5/10"`},
		"weekday":       {"0 0 * * 8", 8, "day of week 8 out of range"},
		"weekday name":  {"0 0 * * SATURDAY", 8, `invalid day of week "SATURDAY"`},
		"backward":      {"0 0 * DEC-JAN *", 6, `backward range "DEC-JAN" in the cron month field`},
		"quartz":        {"0 0 L * *", 4, `"L" is not standard cron`},
		"quartz nth":    {"0 0 * * MON#2", 8, `"MON#2" is not standard cron`},
		"quartz last":   {"0 0 * * 5L", 8, `"5L" is not standard cron`},
		"six fields":    {"0 0 14 * * SAT", 11, "a cron schedule has 5 fields, not 6"},
		"empty":         {"", 0, "a cron schedule has 5 fields, not 0"},
		"negative":      {"-1 * * * *", 0, `invalid minute "-1"`},
		"unknown macro": {"@often", 0, `unknown cron shorthand "@often"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseCron(tc.expr)
			if err == nil {
				t.Fatalf("%q parsed", tc.expr)
			}
			if err.Summary != tc.summary || err.Offset != tc.offset {
				t.Errorf("got %q at %d, want %q at %d", err.Summary, err.Offset, tc.summary, tc.offset)
			}
			if err.Detail == "" {
				t.Errorf("no detail saying what is allowed")
			}
		})
	}
}

func TestCronFormat(t *testing.T) {
	eventBridge := CronStyle{StepFrom: true, WeekdayNames: true}
	cases := map[string]struct {
		expr  string
		field int
		style CronStyle
		want  string
	}{
		"full":            {"* * * * *", CronMinute, eventBridge, "*"},
		"step from":       {"*/10 * * * *", CronMinute, eventBridge, "0/10"},
		"day step from 1": {"0 0 */5 * *", CronDay, eventBridge, "1/5"},
		"unix step":       {"*/10 * * * *", CronMinute, CronStyle{}, "*/10"},
		"runs":            {"1,2,3,5,7,8 * * * *", CronMinute, CronStyle{}, "1-3,5,7,8"},
		"weekday names":   {"0 0 * * 1-5", CronWeekday, eventBridge, "MON-FRI"},
		"weekday base":    {"0 0 * * 0,6", CronWeekday, CronStyle{WeekdayBase: 1}, "1,7"},
		"weekday step":    {"0 0 * * */2", CronWeekday, eventBridge, "SUN,TUE,THU,SAT"},
		"partial step":    {"0 0 * * 1-5/2", CronWeekday, CronStyle{}, "1,3,5"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := ParseCron(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Format(tc.field, tc.style); got != tc.want {
				t.Errorf("Format = %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzParseCron: any text either fails with an offset inside it, or parses
// to a schedule whose standard form parses back to the same values.
func FuzzParseCron(f *testing.F) {
	for _, s := range []string{"0 14 * * SAT", "*/15 9-17/4 1,15 * *", "0 0 * * 5-7", "@weekly", "0 0 1 jan-mar MON", "0 25 * * *", "5/10 * * * *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCron(s)
		if err != nil {
			if err.Offset < 0 || err.Offset > len(s) {
				t.Fatalf("%q: offset %d outside the text", s, err.Offset)
			}
			return
		}
		again, err := ParseCron(c.Standard())
		if err != nil || again.Fields != c.Fields {
			t.Fatalf("%q: standard form %q does not parse back: %v", s, c.Standard(), err)
		}
	})
}
