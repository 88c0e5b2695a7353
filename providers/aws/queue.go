package aws

import (
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// queue maps a neutral queue onto SQS. The blueprint's ranges (visibility
// 0 to 12 h, retention 1 min to 14 d, 1 to 1000 deliveries) are SQS's own,
// so nothing is approximated.
func (l *lowering) queue(r *blueprints.Resource) *tfir.Block {
	q := r.Queue
	b := providers.ModuleCall(l.bp, cloud, r)
	b.Set("fifo", tfir.Bool(q.FIFO))
	b.Set("visibility_timeout_seconds", tfir.Number(providers.Seconds(q.VisibilityTimeout)))
	b.Set("message_retention_seconds", tfir.Number(providers.Seconds(q.Retention)))
	if q.DeadLetter != nil {
		b.Set("max_receive_count", tfir.Number(int64(q.DeadLetter.MaxDeliveries)))
	}
	b.Set("encryption", tfir.Bool(q.Encryption))
	return b
}

// ObjectNames gives the SQS names a queue's module takes: the queue and,
// with a dead-letter queue, "<name>-dlq", both with ".fifo" on a FIFO
// queue. Other resources keep the compiler's one name per kind.
func (*Cloud) ObjectNames(bp *blueprints.Blueprint, r *blueprints.Resource) []providers.ObjectName {
	if r.Kind != blueprints.KindQueue {
		return nil
	}
	name, suffix := providers.ModuleName(bp, r, cloud), ""
	if r.Queue.FIFO {
		suffix = ".fifo"
	}
	out := []providers.ObjectName{{Type: "SQS queue", Name: name + suffix, What: "the queue"}}
	if r.Queue.DeadLetter != nil {
		out = append(out, providers.ObjectName{Type: "SQS queue", Name: name + "-dlq" + suffix, What: "the dead-letter queue", Field: "dead_letter"})
	}
	return out
}
