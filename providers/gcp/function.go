package gcp

import (
	"fmt"
	"strings"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// runtimes maps neutral runtimes onto Cloud Run functions runtime ids. Go
// has no neutral version: the newest generally available Go runtime is used.
var runtimes = map[blueprints.Runtime]string{
	blueprints.Python312: "python312",
	blueprints.Python311: "python311",
	blueprints.NodeJS20:  "nodejs20",
	blueprints.NodeJS22:  "nodejs22",
	blueprints.Go:        "go125",
}

// memoryTiers are the Cloud Run functions memory sizes; the vCPU share of
// an instance follows from the tier.
var memoryTiers = []struct {
	mib      int
	quantity string
}{
	{128, "128Mi"}, {256, "256Mi"}, {512, "512Mi"}, {1024, "1Gi"}, {2048, "2Gi"},
	{4096, "4Gi"}, {8192, "8Gi"}, {16384, "16Gi"}, {32768, "32Gi"},
}

// reservedEnv are environment variables Cloud Run functions set themselves
// and refuse in a deployment, beyond the prefixes the blueprint parser
// rejects on every cloud.
var reservedEnv = []string{"PORT", "FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE"}

// function maps a neutral function onto a Cloud Run function (2nd gen).
func (l *lowering) function(r *blueprints.Resource) *tfir.Block {
	f := r.Function
	b := providers.ModuleCall(l.bp, gcp, r)
	b.Set("region", tfir.String(l.region))

	pkg, ok := l.in.Packages[r.Name]
	if !ok {
		l.ds = l.ds.Errorf(r.At("source"), r.Path("source"), "function source not packaged",
			"skyform found no package for function %s; this is a bug in the compiler, not in the blueprint", r.Name)
	}
	b.Set("source_zip", tfir.String(pkg.Path))
	b.Set("source_sha256", tfir.String(pkg.SHA256Hex))
	b.Set("runtime", tfir.String(runtimes[f.Runtime]))
	b.Set("entry_point", tfir.String(l.entryPoint(r)))
	b.Set("memory", tfir.String(l.memory(r)))
	b.Set("timeout_seconds", tfir.Number(providers.Seconds(f.Timeout)))
	if f.Concurrency > 0 {
		// Each instance serves one request at a time, as on the other
		// clouds, so the instance limit is the concurrency limit.
		b.Set("max_instances", tfir.Number(int64(f.Concurrency)))
	}
	l.checkEnv(r)
	if len(f.Env) > 0 {
		b.Set("environment", providers.EnvExpr(f.Env))
	}
	l.triggers(r, b)
	l.schedules(r, b)
	l.databases(r, b)
	return b
}

// entryPoint splits the handler "<module>.<function>": Cloud Run functions
// take the function name and find the module by convention, so a module
// other than the conventional one is a warning, not a setting.
func (l *lowering) entryPoint(r *blueprints.Resource) string {
	f := r.Function
	h := f.Handler
	if h == "" {
		h = "main.handler"
	}
	i := strings.LastIndexByte(h, '.')
	module, fn := h[:i], h[i+1:]
	if providers.Overridden(r, gcp, "entry_point") {
		return fn
	}
	switch f.Runtime {
	case blueprints.Python312, blueprints.Python311:
		if module != "main" {
			l.ds = providers.Approximated(l.ds, gcp, r, "handler", "handler "+h,
				"Cloud Run functions load Python functions from main.py at the root of the source; %s must be defined in main.py or imported there from %s", fn, module)
		}
	case blueprints.NodeJS20, blueprints.NodeJS22:
		if module != "index" {
			l.ds = providers.Approximated(l.ds, gcp, r, "handler", "handler "+h,
				"Cloud Run functions load the Node.js module that package.json names as \"main\" (index.js without one); set \"main\": \"%s.js\" so that its export %s is found", module, fn)
		}
	case blueprints.Go:
		l.ds = providers.Approximated(l.ds, gcp, r, "runtime", "runtime go",
			"Cloud Run functions build Go from source on %s: the source directory must hold the Go module (go.mod) whose package registers the function with the Functions Framework under the name %q; a prebuilt executable is not run", runtimes[blueprints.Go], fn)
	}
	return fn
}

// memory rounds the memory up to the nearest Cloud Run functions tier.
func (l *lowering) memory(r *blueprints.Resource) string {
	mb := r.Function.MemoryMB
	tier := memoryTiers[len(memoryTiers)-1]
	for _, t := range memoryTiers {
		if t.mib >= mb {
			tier = t
			break
		}
	}
	if tier.mib != mb && !providers.Overridden(r, gcp, "memory") {
		l.ds = providers.Approximated(l.ds, gcp, r, "memory_mb", fmt.Sprintf("memory %d MB", mb),
			"Cloud Run functions offer memory tiers of 128 MiB to 32 GiB, each with its own vCPU share; the function gets the next tier up, %s", tier.quantity)
	}
	return tier.quantity
}

func (l *lowering) checkEnv(r *blueprints.Resource) {
	for _, e := range r.Function.Env {
		for _, name := range reservedEnv {
			if strings.EqualFold(e.Name, name) {
				l.ds = providers.Unsupported(l.ds, gcp, r, "env."+e.Name, "environment variable "+e.Name,
					"Cloud Run functions set %s themselves and refuse a deployment that sets it; choose another name", name)
			}
		}
	}
}

// triggers wires http and queue triggers. A queue trigger becomes a push
// subscription, made by the function module, that carries the queue's
// delivery settings (see modules/gcp/function for why not Eventarc).
func (l *lowering) triggers(r *blueprints.Resource, b *tfir.Block) {
	f := r.Function
	httpTrigger, public := false, false
	var queues tfir.Object
	seen := map[string]bool{}
	for i, t := range f.Triggers {
		field := providers.TriggerField(i)
		switch {
		case t.HTTP != nil:
			httpTrigger, public = true, t.HTTP.Public
		case t.Queue != "":
			q := l.bp.Resource(t.Queue)
			if q == nil || q.Kind != blueprints.KindQueue {
				continue // the parser has reported it
			}
			if q.Cloud != gcp {
				l.ds = providers.Unsupported(l.ds, gcp, r, field+".queue", "cross-cloud queue trigger",
					"queue %q is placed on %s; a function on gcp is triggered natively only by a Pub/Sub topic on gcp, so place the queue and the function on the same cloud", q.Name, q.Cloud)
				continue
			}
			if seen[q.Name] {
				l.ds = providers.Approximated(l.ds, gcp, r, field+".queue", "repeated queue trigger",
					"the function already has a trigger on queue %q; one push subscription delivers its messages", q.Name)
				continue
			}
			seen[q.Name] = true
			queues = append(queues, tfir.ObjectAttr{Key: q.OriginalName(), Value: l.queueTrigger(r, field, t, q)})
		}
	}
	b.SetIf(httpTrigger, "http_trigger", tfir.Bool(true))
	b.SetIf(public, "public", tfir.Bool(true))
	if len(queues) > 0 {
		b.Set("queue_triggers", queues)
	}
}

func (l *lowering) queueTrigger(r *blueprints.Resource, field string, t blueprints.Trigger, q *blueprints.Resource) tfir.Expr {
	f := r.Function
	d := deliveryOf(q)
	if t.BatchSize > 1 {
		l.ds = providers.Approximated(l.ds, gcp, r, field+".batch_size", fmt.Sprintf("batch size %d", t.BatchSize),
			"a Pub/Sub push subscription delivers one message per request, so each invocation handles one message; instances run in parallel instead")
	}
	if n := len(l.consumers[q.Name]); n > 1 {
		l.ds = providers.Approximated(l.ds, gcp, r, field+".queue", "queue shared by functions",
			"%d functions are triggered by queue %q; on Pub/Sub each gets its own push subscription and so receives every message, where a queue hands each message to one of them", n, q.Name)
	}
	if deadline := time.Duration(d.ackDeadline) * time.Second; f.Timeout > deadline {
		l.ds = providers.Approximated(l.ds, gcp, r, "timeout", "timeout "+human(f.Timeout),
			"Pub/Sub waits for a push request at most the acknowledgement deadline of queue %q (%s); a run longer than that counts as failed and the message is delivered again while the first run may still be going",
			q.Name, human(deadline))
	}
	deadLetterTopic := tfir.String("")
	if d.maxDeliveryAttempts > 0 {
		deadLetterTopic = providers.Output(q, "dead_letter_topic_id")
	}
	return tfir.Object{
		{Key: "topic_id", Value: providers.Output(q, "id")},
		{Key: "fifo", Value: tfir.Bool(d.fifo)},
		{Key: "ack_deadline_seconds", Value: tfir.Number(d.ackDeadline)},
		{Key: "message_retention_seconds", Value: tfir.Number(d.retention)},
		{Key: "dead_letter", Value: tfir.Bool(d.maxDeliveryAttempts > 0)},
		{Key: "dead_letter_topic_id", Value: deadLetterTopic},
		{Key: "max_delivery_attempts", Value: tfir.Number(d.maxDeliveryAttempts)},
	}
}

// databases gives the function a way into the VPC and the right to mint
// the IAM login tokens of each database on GCP it refers to.
func (l *lowering) databases(r *blueprints.Resource, b *tfir.Block) {
	var accounts tfir.Object
	for _, db := range providers.DatabasesReferenced(l.bp, r) {
		if db.Cloud != gcp {
			l.ds = providers.Approximated(l.ds, gcp, r, envReferring(r, db.Name), "reachability of database "+db.Name,
				"database %q is placed on %s, where it has a private address only; nothing connects a function on gcp to that network, so reaching it needs a VPN or interconnect set up outside skyform", db.Name, db.Cloud)
			continue
		}
		accounts = append(accounts, tfir.ObjectAttr{Key: db.OriginalName(), Value: providers.Output(db, "admin_service_account")})
	}
	if len(accounts) == 0 {
		return
	}
	b.Set("vpc_access", tfir.Bool(true))
	b.Set("vpc_network", providers.NetworkOutput(gcp, "network_id"))
	b.Set("vpc_subnetwork", providers.NetworkOutput(gcp, "subnet_id"))
	b.Set("database_service_accounts", accounts)
}

// envReferring is the field of the first environment variable that refers
// to a resource, where a diagnostic about that reference points.
func envReferring(r *blueprints.Resource, resource string) string {
	for _, e := range r.Function.Env {
		for _, ref := range e.Value.Refs() {
			if ref.Resource == resource {
				return "env." + e.Name
			}
		}
	}
	return "env"
}
