package azure

import (
	"testing"
	"time"

	"github.com/skyform/skyform/blueprints"
)

func TestUTCSchedule(t *testing.T) {
	cases := map[string]struct {
		reason string
		cron   string
		zone   string
		want   string // NCRONTAB; empty when there is no UTC equivalent
	}{
		"utc":             {reason: "UTC needs no conversion", cron: "0 14 * * SAT", zone: "UTC", want: "0 0 14 * * 6"},
		"berlin weekly":   {reason: "an hour back, same day", cron: "0 14 * * SAT", zone: "Europe/Berlin", want: "0 0 13 * * 6"},
		"berlin midnight": {reason: "a time after midnight moves to the day before, and so does its day of week", cron: "30 0 * * MON-FRI", zone: "Europe/Berlin", want: "0 30 23 * * 0-4"},
		"new york late":   {reason: "west of UTC a late time moves to the next day", cron: "0 22 * * 6", zone: "America/New_York", want: "0 0 3 * * 0"},
		"day of month":    {reason: "a day of the month shifts with the time", cron: "0 1 15 * *", zone: "Europe/Berlin", want: "0 0 0 15 * *"},
		"day before":      {reason: "midnight moves to the day before within the month", cron: "0 0 15 JAN *", zone: "Europe/Berlin", want: "0 0 23 14 1 *"},
		"every hour":      {reason: "every day alike: times wrapping to another day still make every hour", cron: "15 * * * *", zone: "Asia/Tokyo", want: "0 15 * * * *"},
		"two times":       {reason: "on every day, times on both sides of midnight combine", cron: "0 0,12 * * *", zone: "Europe/Berlin", want: "0 0 11,23 * * *"},
		"half hour zone":  {reason: "an offset with minutes shifts minutes too", cron: "0 9 * * *", zone: "Asia/Kolkata", want: "0 30 3 * * *"},
		"steps":           {reason: "a step over the whole hour field stays a step when nothing wraps", cron: "0 */2 * * *", zone: "UTC", want: "0 0 */2 * * *"},
		"first of month":  {reason: "the 1st would move to the last day of the month before", cron: "0 0 1 * *", zone: "Europe/Berlin"},
		"end of month":    {reason: "the 31st would move to the 1st of the next month", cron: "0 23 31 * *", zone: "America/New_York"},
		"split days":      {reason: "some times move to the day before, some do not", cron: "0 0,12 * * MON", zone: "Europe/Berlin"},
		"month edge":      {reason: "a weekday moved across midnight can leave its month", cron: "0 0 * JAN MON", zone: "Europe/Berlin"},
		"not a product":   {reason: "the minutes shift some times into the next hour and not others", cron: "0,45 9 * * *", zone: "Asia/Kolkata"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, perr := blueprints.ParseCron(tc.cron)
			if perr != nil {
				t.Fatal(perr)
			}
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			std, _, _ := zoneOffsets(loc)
			utc, ok, why := utcSchedule(c, std)
			switch {
			case tc.want == "" && ok:
				t.Errorf("%s: converted to %q, want no UTC equivalent", tc.reason, ncrontab(utc))
			case tc.want == "" && why == "":
				t.Errorf("%s: no reason given", tc.reason)
			case tc.want != "" && !ok:
				t.Errorf("%s: not converted: %s", tc.reason, why)
			case tc.want != "" && ncrontab(utc) != tc.want:
				t.Errorf("%s: got %q, want %q", tc.reason, ncrontab(utc), tc.want)
			}
		})
	}
}

func TestZoneOffsets(t *testing.T) {
	cases := map[string]struct {
		zone     string
		std, dst int
		hasDST   bool
	}{
		"Europe/Berlin":    {"Europe/Berlin", 60, 120, true},
		"America/New_York": {"America/New_York", -300, -240, true},
		"Australia/Sydney": {"Australia/Sydney", 600, 660, true},
		"Asia/Tokyo":       {"Asia/Tokyo", 540, 0, false},
		"UTC":              {"UTC", 0, 0, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			std, dst, has := zoneOffsets(loc)
			if std != tc.std || has != tc.hasDST || (has && dst != tc.dst) {
				t.Errorf("got std %d dst %d (%v), want %d %d (%v)", std, dst, has, tc.std, tc.dst, tc.hasDST)
			}
		})
	}
}
