package aws

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

const (
	// lambdaMaxTimeout is the longest a Lambda invocation may run.
	lambdaMaxTimeout = 15 * time.Minute
	// fifoMaxBatch is the largest batch Lambda reads from a FIFO queue.
	fifoMaxBatch = 10
	// lambdaEnvLimit is Lambda's limit on the total size of a function's
	// environment variables, in bytes.
	lambdaEnvLimit = 4096
)

// lambdaReservedEnv are the environment variables Lambda sets itself and
// refuses to take from the configuration, beyond the AWS_ and LAMBDA_
// prefixes the blueprint parser already rejects on every cloud.
var lambdaReservedEnv = []string{"_HANDLER", "_X_AMZN_TRACE_ID"}

// function maps a neutral function onto Lambda.
func (l *lowering) function(r *blueprints.Resource) *tfir.Block {
	f := r.Function
	b := providers.ModuleCall(l.bp, cloud, r)

	pkg, ok := l.in.Packages[r.Name]
	if !ok {
		l.ds = l.ds.Errorf(r.At("source"), r.Path("source"), "function source not packaged",
			"skyform found no package for function %s; this is a bug in the compiler, not in the blueprint", r.Name)
	}
	b.Set("package_path", tfir.String(pkg.Path))
	b.Set("package_sha256", tfir.String(pkg.SHA256))

	rt := lambdaRuntimes[string(f.Runtime)]
	if rt.Replaced != "" && !providers.Overridden(r, cloud, "runtime") {
		l.ds = providers.Approximated(l.ds, cloud, r, "runtime", "runtime "+string(f.Runtime),
			"%s; the function runs on %s, the next runtime of the same language, so test the code on it (or override runtime for aws)", rt.Replaced, rt.ID)
	}
	b.Set("runtime", tfir.String(rt.ID))
	handler := f.Handler
	if f.Runtime == blueprints.Go {
		handler = "bootstrap"
		if _, written := r.Fields["handler"]; written {
			l.ds = providers.Approximated(l.ds, cloud, r, "handler", "handler",
				"Lambda runs Go on the provided.al2023 runtime, which starts the executable named bootstrap at the root of the zip and ignores the handler; %q is not used, so build the function as ./bootstrap", f.Handler)
		}
	}
	b.Set("handler", tfir.String(handler))
	b.Set("memory_size", tfir.Number(int64(f.MemoryMB)))

	if f.Timeout > lambdaMaxTimeout && !providers.Overridden(r, cloud, "timeout") {
		l.ds = providers.Unsupported(l.ds, cloud, r, "timeout", "timeout "+blueprints.FormatDuration(f.Timeout),
			"a Lambda invocation runs for at most 15m; cutting the function off earlier than the blueprint allows would break long runs, so split the work or place the function on another cloud")
	}
	b.Set("timeout", tfir.Number(providers.Seconds(f.Timeout)))
	if f.Concurrency > 0 {
		b.Set("reserved_concurrent_executions", tfir.Number(int64(f.Concurrency)))
	}

	l.checkEnv(r)
	if len(f.Env) > 0 {
		b.Set("environment", providers.EnvExpr(f.Env))
	}

	l.triggers(r, b)
	l.schedules(r, b)

	if dbs := l.dbs[r.Name]; len(dbs) > 0 {
		b.Set("vpc", tfir.Object{
			{Key: "subnet_ids", Value: providers.NetworkOutput(cloud, "private_subnet_ids")},
			{Key: "security_group_ids", Value: tfir.List{providers.NetworkOutput(cloud, "app_security_group_id")}},
		})
	}
	l.references(r, b)
	return b
}

// checkEnv refuses what Lambda would refuse at apply time.
func (l *lowering) checkEnv(r *blueprints.Resource) {
	size := 0
	for _, e := range r.Function.Env {
		for _, reserved := range lambdaReservedEnv {
			if e.Name == reserved {
				field := "env." + e.Name
				l.ds = l.ds.Errorf(r.At(field), r.Path(field), fmt.Sprintf("reserved environment variable %q", e.Name),
					"Lambda sets %s itself and refuses it in a function's configuration; rename the variable", e.Name)
			}
		}
		size += len(e.Name)
		for _, p := range e.Value {
			size += len(p.Text)
		}
	}
	if size > lambdaEnvLimit {
		l.ds = l.ds.Errorf(r.At("env"), r.Path("env"), "environment too large for Lambda",
			"the names and literal values alone take %d bytes and Lambda allows 4 KB in all; move large values to a file in the source or to a parameter store", size)
	}
}

// triggers wires queue triggers (event source mappings, keyed by queue name)
// and the http trigger (a function URL).
func (l *lowering) triggers(r *blueprints.Resource, b *tfir.Block) {
	f := r.Function
	type mapping struct {
		queue string
		value tfir.Expr
	}
	var mappings []mapping
	seen := map[string]bool{}
	var http *blueprints.HTTPTrigger
	for i, t := range f.Triggers {
		field := providers.TriggerField(i) + ".queue"
		switch {
		case t.HTTP != nil:
			http = t.HTTP
		case t.Queue != "":
			q := l.bp.Resource(t.Queue)
			if q == nil || q.Queue == nil {
				l.ds = l.ds.Errorf(r.At(field), r.Path(field), fmt.Sprintf("%q is not a queue", t.Queue),
					"a queue trigger names a queue resource of the blueprint")
				continue
			}
			if q.Cloud != cloud {
				l.ds = providers.Unsupported(l.ds, cloud, r, field, "a queue trigger from "+string(q.Cloud),
					"queue %s is on %s, and a Lambda event source mapping reads only SQS queues; place the function and the queue on the same cloud", q.Name, q.Cloud)
				continue
			}
			if seen[q.Name] {
				l.ds = l.ds.Errorf(r.At(field), r.Path(field), fmt.Sprintf("queue %s triggers the function twice", q.Name),
					"Lambda allows one event source mapping per function and queue; remove the repeated trigger")
				continue
			}
			seen[q.Name] = true
			// Lambda refuses the mapping otherwise: a message must stay hidden
			// for as long as the function may work on it.
			if q.Queue.VisibilityTimeout < f.Timeout && !providers.Overridden(r, cloud, "timeout") && !providers.Overridden(q, cloud, "visibility_timeout_seconds") {
				l.ds = l.ds.Errorf(r.At(field), r.Path(field), "queue visibility timeout shorter than the function timeout",
					"queue %s hides a received message for %s but the function may run for %s; Lambda refuses to read a queue whose visibility_timeout is shorter than the function's timeout (AWS recommends six times it): raise the queue's visibility_timeout to at least %s",
					q.Name, blueprints.FormatDuration(q.Queue.VisibilityTimeout), blueprints.FormatDuration(f.Timeout), blueprints.FormatDuration(f.Timeout))
			}
			batch := t.BatchSize
			if q.Queue.FIFO && batch > fifoMaxBatch {
				l.ds = providers.Approximated(l.ds, cloud, r, providers.TriggerField(i)+".batch_size", "batch_size",
					"Lambda reads at most %d messages at a time from a FIFO queue; batches of %d are used instead of %d", fifoMaxBatch, fifoMaxBatch, batch)
				batch = fifoMaxBatch
			}
			mappings = append(mappings, mapping{q.OriginalName(), tfir.Object{
				{Key: "arn", Value: providers.Output(q, "arn")},
				{Key: "fifo", Value: tfir.Bool(q.Queue.FIFO)},
				{Key: "batch_size", Value: tfir.Number(int64(batch))},
			}})
		}
	}
	if len(mappings) > 0 {
		// Keyed by the queue's original name, so renaming it or reordering the triggers changes nothing.
		sort.Slice(mappings, func(i, j int) bool { return mappings[i].queue < mappings[j].queue })
		o := make(tfir.Object, len(mappings))
		for i, m := range mappings {
			o[i] = tfir.ObjectAttr{Key: m.queue, Value: m.value}
		}
		b.Set("queue_triggers", o)
	}
	if http != nil {
		auth := "AWS_IAM"
		if http.Public {
			auth = "NONE"
		}
		b.Set("function_url_auth_type", tfir.String(auth))
	}
}

// references grants the function what its environment's references imply
// and says what it cannot reach: it may send to the SQS queues it names and
// read the database passwords it names; in the VPC without a NAT gateway it
// reaches those AWS APIs through interface endpoints, and nothing else
// outside the VPC.
func (l *lowering) references(r *blueprints.Resource, b *tfir.Block) {
	inVPC := len(l.dbs[r.Name]) > 0
	sends := map[string]tfir.Expr{}
	secrets := map[string]tfir.Expr{}
	warned := map[string]bool{}
	var outside []string // env variables whose target lies outside the VPC and AWS APIs
	firstOutside := ""
	for _, e := range r.Function.Env {
		field := "env." + e.Name
		for _, ref := range e.Value.Refs() {
			t := l.bp.Resource(ref.Resource)
			if t == nil {
				continue
			}
			if t.Cloud != cloud {
				if t.Kind == blueprints.KindDatabase && !warned[t.Name] {
					warned[t.Name] = true
					l.ds = providers.Approximated(l.ds, cloud, r, field, "network access to database "+t.Name,
						"database %s is on %s and has only a private address there; the function on aws gets its %s but no network path to it (no VPN or peering is configured), so connections fail until you add one",
						t.Name, t.Cloud, ref.Attribute)
				}
				if t.Kind == blueprints.KindQueue && !warned[t.Name] {
					warned[t.Name] = true
					l.ds = providers.Approximated(l.ds, cloud, r, field, "access to queue "+t.Name,
						"queue %s is on %s; the function's AWS role gives it no identity there, so configure credentials for %s yourself", t.Name, t.Cloud, t.Cloud)
				}
				if t.Kind != blueprints.KindDatabase {
					outside = append(outside, e.Name)
				}
				continue
			}
			switch {
			case t.Kind == blueprints.KindQueue:
				sends[t.OriginalName()] = providers.Output(t, "arn")
				l.needAPI(inVPC, "sqs")
			case t.Kind == blueprints.KindDatabase && ref.Attribute == "password_secret":
				secrets[t.OriginalName()] = providers.Output(t, "password_secret")
				l.needAPI(inVPC, "secretsmanager")
			case t.Kind == blueprints.KindFunction && ref.Attribute == "url",
				t.Kind == blueprints.KindCluster && ref.Attribute == "endpoint":
				outside = append(outside, e.Name)
			}
		}
		if len(outside) > 0 && firstOutside == "" {
			firstOutside = e.Name
		}
	}
	if len(sends) > 0 {
		b.Set("send_queue_arns", mapExpr(sends))
	}
	if len(secrets) > 0 {
		b.Set("secret_arns", mapExpr(secrets))
	}
	if inVPC && !l.nat && len(outside) > 0 {
		l.ds = providers.Approximated(l.ds, cloud, r, "env."+firstOutside, "internet access",
			"the function joins the VPC to reach its database, and the VPC has no NAT gateway (a fixed monthly cost skyform adds only for EKS clusters), so the function cannot reach what %s refer to; it needs the nat_gateway variable of the aws/network module turned on, or another function outside the VPC to make those calls",
			strings.Join(dedupe(outside), ", "))
	}
}

// needAPI records the interface endpoint a function in the VPC needs to call
// an AWS API when no NAT gateway leads out.
func (l *lowering) needAPI(inVPC bool, service string) {
	if inVPC && !l.nat {
		l.endpoints[service] = true
	}
}

func mapExpr(m map[string]tfir.Expr) tfir.Object {
	o := make(tfir.Object, 0, len(m))
	for _, k := range sortedKeys(m) {
		o = append(o, tfir.ObjectAttr{Key: k, Value: m[k]})
	}
	return o
}

func dedupe(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
