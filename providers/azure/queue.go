package azure

import (
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// Service Bus limits that the neutral queue can exceed.
const (
	minLockSeconds = 5
	maxLockSeconds = 5 * 60
	// maxDeliveryCount is the largest max_delivery_count (an int32).
	maxDeliveryCount = 2147483647
)

func (l *lowering) queue(r *blueprints.Resource) *tfir.Block {
	q := r.Queue
	b := providers.ModuleCall(l.bp, azure, r)
	inGroup(b)

	b.Set("fifo", tfir.Bool(q.FIFO))
	if q.FIFO {
		l.ds = providers.Approximated(l.ds, azure, r, "ordering", "FIFO ordering",
			"Service Bus keeps order per session: the queue requires sessions, every sender must set a session id, and messages of one session are delivered in order to one receiver at a time; duplicates are dropped by message id within 5 minutes")
	}

	lock := providers.Seconds(q.VisibilityTimeout)
	switch {
	case lock < minLockSeconds:
		l.ds = providers.Approximated(l.ds, azure, r, "visibility_timeout", "visibility timeout",
			"a Service Bus peek-lock lasts at least 5 seconds; %ds becomes 5s, so a message stays hidden a little longer after a failed receive", lock)
		lock = minLockSeconds
	case lock > maxLockSeconds:
		l.ds = providers.Approximated(l.ds, azure, r, "visibility_timeout", "visibility timeout",
			"a Service Bus peek-lock lasts at most 5 minutes; %ds becomes 300s, and a receiver that needs longer must renew the lock (the Functions host does so on its own)", lock)
		lock = maxLockSeconds
	}
	b.Set("lock_duration_seconds", tfir.Number(lock))
	b.Set("message_ttl_seconds", tfir.Number(providers.Seconds(q.Retention)))

	if q.DeadLetter != nil {
		b.Set("max_delivery_count", tfir.Number(int64(q.DeadLetter.MaxDeliveries)))
	} else {
		b.Set("max_delivery_count", tfir.Number(maxDeliveryCount))
		l.ds = providers.Approximated(l.ds, azure, r, "dead_letter", "no dead letter",
			"Service Bus always moves a message to the queue's $DeadLetterQueue after max_delivery_count deliveries; it is set to the largest value (2147483647), so in practice a failing message is redelivered until it expires")
	}

	if !q.Encryption {
		l.ds = providers.Approximated(l.ds, azure, r, "encryption", "unencrypted queue",
			"Service Bus always encrypts messages at rest with a Microsoft-managed key; it cannot be turned off")
	}
	return b
}
