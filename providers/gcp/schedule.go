package gcp

import (
	"fmt"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// Cloud Scheduler's attempt deadline for HTTP targets: how long it waits
// for the function's response.
const (
	minAttemptDeadline = 15 * time.Second
	maxAttemptDeadline = 30 * time.Minute
)

// schedules lowers the function's schedule triggers to Cloud Scheduler jobs
// that call its URL. Cloud Scheduler reads standard unix-cron in a tz
// database zone, so the schedule itself carries over exactly.
func (l *lowering) schedules(r *blueprints.Resource, b *tfir.Block) {
	f := r.Function
	var o tfir.Object
	for _, s := range providers.Schedules(f) {
		deadline := f.Timeout
		if deadline < minAttemptDeadline {
			deadline = minAttemptDeadline
		}
		if deadline > maxAttemptDeadline {
			deadline = maxAttemptDeadline
			l.ds = providers.Approximated(l.ds, gcp, r, s.Field, "schedule "+s.Trigger.Cron.Text,
				"Cloud Scheduler waits at most 30m for the function to answer; a run longer than that goes on, but the job records it as failed (it is not retried, so nothing runs twice)")
		}
		o = append(o, tfir.ObjectAttr{Key: s.Key, Value: tfir.Object{
			{Key: "schedule", Value: tfir.String(s.Trigger.Cron.Standard())},
			{Key: "time_zone", Value: tfir.String(s.Trigger.Timezone)},
			{Key: "attempt_deadline", Value: tfir.String(fmt.Sprintf("%ds", int64(deadline/time.Second)))},
		}})
	}
	if len(o) > 0 {
		b.Set("schedule_triggers", o)
	}
}
