package gcp

import (
	"fmt"
	"strings"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// Pub/Sub limits (subscription and topic reference).
const (
	minAckDeadline           = 10 * time.Second
	maxAckDeadline           = 600 * time.Second
	minSubscriptionRetention = 10 * time.Minute
	maxSubscriptionRetention = 7 * 24 * time.Hour
	maxTopicRetention        = 31 * 24 * time.Hour
	minDeliveryAttempts      = 5
	maxDeliveryAttempts      = 100
)

// delivery is a queue's delivery semantics in Pub/Sub terms. The queue's own
// subscription and every function's push subscription on it carry the same
// values, so they are computed once, from the blueprint and the queue's GCP
// overrides.
type delivery struct {
	fifo bool
	// ackDeadline, retention and topicRetention are in seconds;
	// topicRetention is 0 when the topic keeps nothing.
	ackDeadline, retention, topicRetention int64
	// maxDeliveryAttempts is 0 without a dead-letter topic.
	maxDeliveryAttempts int64
}

func deliveryOf(r *blueprints.Resource) delivery {
	q := r.Queue
	d := delivery{
		fifo:        q.FIFO,
		ackDeadline: providers.Seconds(clamp(q.VisibilityTimeout, minAckDeadline, maxAckDeadline)),
		retention:   providers.Seconds(clamp(q.Retention, minSubscriptionRetention, maxSubscriptionRetention)),
	}
	if q.Retention > maxSubscriptionRetention {
		d.topicRetention = providers.Seconds(min(q.Retention, maxTopicRetention))
	}
	if q.DeadLetter != nil {
		d.maxDeliveryAttempts = int64(min(max(q.DeadLetter.MaxDeliveries, minDeliveryAttempts), maxDeliveryAttempts))
	}
	if v, ok := overrideInt(r, "fifo"); ok {
		d.fifo = v != 0
	}
	if v, ok := overrideInt(r, "ack_deadline_seconds"); ok {
		d.ackDeadline = v
	}
	if v, ok := overrideInt(r, "message_retention_seconds"); ok {
		d.retention = v
	}
	if v, ok := overrideInt(r, "max_delivery_attempts"); ok {
		d.maxDeliveryAttempts = v
	}
	return d
}

// overrideInt reads a number (or a bool, as 0 or 1) a team set for a queue
// module variable, so push subscriptions follow the override too.
func overrideInt(r *blueprints.Resource, variable string) (int64, bool) {
	switch v := r.Overrides[gcp][variable].(type) {
	case int:
		return int64(v), true
	case int64:
		return v, true
	case float64:
		return int64(v), true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func clamp(d, lo, hi time.Duration) time.Duration { return min(max(d, lo), hi) }

func human(d time.Duration) string { return blueprints.FormatDuration(d) }

// queue maps a neutral queue onto a Pub/Sub topic and subscription.
func (l *lowering) queue(r *blueprints.Resource) *tfir.Block {
	q := r.Queue
	d := deliveryOf(r)
	l.queueWarnings(r, d)

	b := providers.ModuleCall(l.bp, gcp, r)
	b.Set("fifo", tfir.Bool(d.fifo))
	b.Set("ack_deadline_seconds", tfir.Number(d.ackDeadline))
	b.Set("message_retention_seconds", tfir.Number(d.retention))
	b.SetIf(d.topicRetention > 0, "topic_message_retention_seconds", tfir.Number(d.topicRetention))
	b.SetIf(q.DeadLetter != nil, "max_delivery_attempts", tfir.Number(d.maxDeliveryAttempts))
	// A function's push subscription consumes the queue: a second, unread
	// subscription would hold a copy of every message.
	b.SetIf(len(l.consumers[r.Name]) > 0, "subscription", tfir.Bool(false))
	return b
}

func (l *lowering) queueWarnings(r *blueprints.Resource, d delivery) {
	q := r.Queue
	if !providers.Overridden(r, gcp, "ack_deadline_seconds") {
		switch {
		case q.VisibilityTimeout < minAckDeadline:
			l.ds = providers.Approximated(l.ds, gcp, r, "visibility_timeout", "visibility timeout "+human(q.VisibilityTimeout),
				"Pub/Sub acknowledgement deadlines are %s to %s; the deadline is %s, so a delivered message stays hidden from other consumers that long",
				human(minAckDeadline), human(maxAckDeadline), human(minAckDeadline))
		case q.VisibilityTimeout > maxAckDeadline:
			l.ds = providers.Approximated(l.ds, gcp, r, "visibility_timeout", "visibility timeout "+human(q.VisibilityTimeout),
				"Pub/Sub acknowledgement deadlines are %s to %s; the deadline is %s, and a consumer that needs longer must extend it while it works (modifyAckDeadline, which the client libraries do for pulled messages) or the message is delivered again",
				human(minAckDeadline), human(maxAckDeadline), human(maxAckDeadline))
		}
	}
	if !providers.Overridden(r, gcp, "message_retention_seconds") {
		switch {
		case q.Retention < minSubscriptionRetention:
			l.ds = providers.Approximated(l.ds, gcp, r, "retention", "retention "+human(q.Retention),
				"a Pub/Sub subscription keeps unacknowledged messages %s to %s; they are kept %s",
				human(minSubscriptionRetention), human(maxSubscriptionRetention), human(minSubscriptionRetention))
		case q.Retention > maxSubscriptionRetention:
			l.ds = providers.Approximated(l.ds, gcp, r, "retention", "retention "+human(q.Retention),
				"a Pub/Sub subscription keeps unacknowledged messages at most %s; older ones leave the backlog, but the topic keeps every message for %s, so a subscription can seek back to them",
				human(maxSubscriptionRetention), human(time.Duration(d.topicRetention)*time.Second))
		}
	}
	if q.FIFO && !providers.Overridden(r, gcp, "fifo") {
		dedup := "the queue's pull subscription uses exactly-once delivery, so an acknowledged message is not delivered again"
		if len(l.consumers[r.Name]) > 0 {
			dedup = "the function's push subscription may deliver a message more than once (exactly-once delivery is for pull subscriptions only), so the function must be idempotent"
		}
		l.ds = providers.Approximated(l.ds, gcp, r, "ordering", "fifo ordering",
			"Pub/Sub delivers in order only messages published with the same ordering key (publishers must set one; one key is one ordered stream) and does not deduplicate on publish; %s", dedup)
	}
	if q.DeadLetter != nil && !providers.Overridden(r, gcp, "max_delivery_attempts") {
		n := q.DeadLetter.MaxDeliveries
		if n < minDeliveryAttempts || n > maxDeliveryAttempts {
			l.ds = providers.Approximated(l.ds, gcp, r, "dead_letter.max_deliveries", fmt.Sprintf("dead letter after %d deliveries", n),
				"Pub/Sub dead-letter policies allow %d to %d delivery attempts; a message moves to the dead-letter topic after %d",
				minDeliveryAttempts, maxDeliveryAttempts, d.maxDeliveryAttempts)
		}
	}
	if !q.Encryption {
		l.ds = providers.Approximated(l.ds, gcp, r, "encryption", "encryption: false",
			"Pub/Sub always encrypts messages at rest with Google-managed keys; it cannot be turned off, so messages are encrypted")
	}
}

// ObjectNames gives the Pub/Sub topic names a queue's module takes (its
// subscriptions are named as the topics): the topic and, with a
// dead-letter queue, "<name>-dlq"; a name starting with "goog", which
// Pub/Sub reserves, gets "q-" in front. Other resources keep the
// compiler's one name per kind.
func (*Cloud) ObjectNames(bp *blueprints.Blueprint, r *blueprints.Resource) []providers.ObjectName {
	if r.Kind != blueprints.KindQueue {
		return nil
	}
	name := providers.ModuleName(bp, r, gcp)
	if strings.HasPrefix(name, "goog") {
		name = "q-" + name
	}
	out := []providers.ObjectName{{Type: "Pub/Sub topic", Name: name, What: "the topic"}}
	if r.Queue.DeadLetter != nil {
		out = append(out, providers.ObjectName{Type: "Pub/Sub topic", Name: name + "-dlq", What: "the dead-letter topic", Field: "dead_letter"})
	}
	return out
}
