package azure

import (
	"fmt"
	"sort"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// Flex Consumption limits the neutral function can exceed.
const (
	minFlexInstances = 40
	// httpTimeoutSeconds is how long Azure's front end waits for an HTTP
	// response, whatever the function's own timeout.
	httpTimeoutSeconds = 230
)

// flexRuntime is a runtime's name and version on Flex Consumption.
var flexRuntime = map[blueprints.Runtime][2]string{
	blueprints.Python312: {"python", "3.12"},
	blueprints.Python311: {"python", "3.11"},
	blueprints.NodeJS20:  {"node", "20"},
	blueprints.NodeJS22:  {"node", "22"},
	// A go function runs as a custom handler: the Functions host forwards
	// each invocation over HTTP to the executable.
	blueprints.Go: {"custom", "1.0"},
}

// flexMemory rounds a memory size to a Flex Consumption instance size. The
// azurerm documentation gives 2048 and 4096 MB (2048 is Azure's recommended
// default), so smaller requests round up to 2048.
func flexMemory(mb int) int {
	if mb <= 2048 {
		return 2048
	}
	return 4096
}

// reservedSettings are app settings the module or the platform owns; an
// environment variable of that name would be overwritten or break the host.
// Azure compares app setting names without case.
var reservedSettings = []struct {
	name   string
	prefix bool
}{
	{"AZURE_CLIENT_ID", false},
	{"AZUREFUNCTIONSJOBHOST__", true},
	{"SERVICEBUS_", true},
	{"APPLICATIONINSIGHTS_", true},
	{"APPINSIGHTS_", true},
	{"DEPLOYMENT_STORAGE_CONNECTION_STRING", false},
	{"TIMER_SCHEDULE_", true},
}

func reservedSetting(name string) bool {
	up := strings.ToUpper(name)
	for _, s := range reservedSettings {
		if up == s.name || s.prefix && strings.HasPrefix(up, s.name) {
			return true
		}
	}
	return false
}

func (l *lowering) function(r *blueprints.Resource) *tfir.Block {
	f := r.Function
	b := providers.ModuleCall(l.bp, azure, r)
	inGroup(b)

	rt := flexRuntime[f.Runtime]
	b.Set("runtime_name", tfir.String(rt[0]))
	b.Set("runtime_version", tfir.String(rt[1]))
	if f.Runtime == blueprints.Go {
		l.ds = providers.Approximated(l.ds, azure, r, "runtime", "go runtime",
			"Azure Functions runs go as a custom handler: the package needs a host.json with customHandler.description.defaultExecutablePath naming the executable, which serves each function over HTTP on FUNCTIONS_CUSTOMHANDLER_PORT")
	} else {
		l.ds = providers.Approximated(l.ds, azure, r, "handler", "handler",
			"Azure Functions finds entry points in the code, not by a handler name: %q is not used; python needs a function_app.py with decorated functions, node the programming model v4 registrations in the package.json main file; the package must also hold the dependencies", f.Handler)
	}

	if pkg, ok := l.in.Packages[r.Name]; ok {
		b.Set("package_path", tfir.String(pkg.Path))
		b.Set("package_sha256", tfir.String(pkg.SHA256Hex))
	} else {
		l.ds = l.ds.Errorf(r.At("source"), r.Path("source"), "function source not packaged",
			"no package was built for %s; this is a bug in skyform", r.Name)
	}

	mem := flexMemory(f.MemoryMB)
	b.Set("instance_memory_mb", tfir.Number(int64(mem)))
	switch {
	case f.MemoryMB > mem:
		l.ds = providers.Approximated(l.ds, azure, r, "memory_mb", "memory",
			"Flex Consumption instances have at most 4096 MB; %d MB becomes 4096 MB, less than asked", f.MemoryMB)
	case f.MemoryMB != mem:
		l.ds = providers.Approximated(l.ds, azure, r, "memory_mb", "memory",
			"Flex Consumption instances have 2048 or 4096 MB; %d MB becomes %d MB", f.MemoryMB, mem)
	}

	timeout := providers.Seconds(f.Timeout)
	b.Set("timeout_seconds", tfir.Number(timeout))

	if f.Concurrency > 0 {
		n := f.Concurrency
		if n < minFlexInstances {
			l.ds = providers.Approximated(l.ds, azure, r, "concurrency", "concurrency",
				"the maximum instance count of a Flex Consumption app is at least 40; a limit of %d becomes 40, so up to 40 instances may run at once", n)
			n = minFlexInstances
		}
		b.Set("maximum_instance_count", tfir.Number(int64(n)))
	}

	l.environment(b, r)
	l.triggers(b, r, timeout)
	l.schedules(r, b)
	l.reachability(b, r)
	return b
}

// environment passes the blueprint's env as app settings.
func (l *lowering) environment(b *tfir.Block, r *blueprints.Resource) {
	f := r.Function
	if len(f.Env) == 0 {
		return
	}
	seen := map[string]string{}
	for _, e := range f.Env {
		field := "env." + e.Name
		if reservedSetting(e.Name) {
			l.ds = providers.Unsupported(l.ds, azure, r, field, fmt.Sprintf("environment variable %q", e.Name),
				"Azure reserves this app setting name for the Functions host or for skyform's own settings (AZURE_CLIENT_ID, AzureFunctionsJobHost__*, SERVICEBUS_*, TIMER_SCHEDULE_*, APPLICATIONINSIGHTS_*); choose another name")
		}
		if prev, ok := seen[strings.ToUpper(e.Name)]; ok {
			l.ds = providers.Unsupported(l.ds, azure, r, field, fmt.Sprintf("environment variable %q", e.Name),
				"Azure app setting names ignore case, so %q and %q are the same setting", prev, e.Name)
		}
		seen[strings.ToUpper(e.Name)] = e.Name
	}
	b.Set("app_settings", providers.EnvExpr(f.Env))
}

// triggers wires queue triggers (identity, role, connection settings) and
// marks an HTTP function.
func (l *lowering) triggers(b *tfir.Block, r *blueprints.Resource, timeout int64) {
	var queues tfir.Object
	seen := map[string]bool{}
	batch := 0
	for i, t := range r.Function.Triggers {
		field := providers.TriggerField(i)
		switch {
		case t.Queue != "":
			q := l.bp.Resource(t.Queue)
			if q == nil || q.Kind != blueprints.KindQueue {
				continue // the parser reports unknown queues
			}
			if q.Cloud != azure {
				l.ds = providers.Unsupported(l.ds, azure, r, field+".queue", "a queue trigger from another cloud",
					"queue %q is placed on %s; an Azure function can only be triggered natively by a Service Bus queue on Azure; place both on the same cloud", q.Name, q.Cloud)
				continue
			}
			if seen[q.Name] {
				continue
			}
			seen[q.Name] = true
			queues = append(queues, tfir.ObjectAttr{Key: q.OriginalName(), Value: tfir.Object{
				{Key: "queue_id", Value: providers.Output(q, "id")},
				{Key: "queue_name", Value: providers.Output(q, "name")},
				{Key: "namespace_host", Value: providers.Output(q, "namespace_host")},
			}})
			session := ""
			if q.Queue.FIFO {
				session = "; the queue uses sessions, so the binding needs isSessionsEnabled = true"
			}
			conn := "SERVICEBUS_" + strings.ToUpper(strings.ReplaceAll(q.OriginalName(), "-", "_"))
			l.ds = providers.Approximated(l.ds, azure, r, field+".queue", "queue trigger",
				"Azure binds triggers in the function's code: skyform grants the function's identity Azure Service Bus Data Receiver on queue %q and sets the app settings %s__fullyQualifiedNamespace and %s_QUEUE; the code must declare a serviceBusTrigger with connection \"%s\" and queueName \"%%%s_QUEUE%%\"%s",
				q.Name, conn, conn, conn, conn, session)
			if t.BatchSize > 0 {
				if batch != 0 && t.BatchSize != batch {
					l.ds = providers.Approximated(l.ds, azure, r, field+".batch_size", "batch size",
						"the Service Bus batch size is one host setting for the whole function app; the largest batch size of its triggers is used (%d and %d differ)", batch, t.BatchSize)
				}
				if t.BatchSize > batch {
					batch = t.BatchSize
				}
			}
		case t.HTTP != nil:
			b.Set("http", tfir.Bool(true))
			how := "the function's code must set authLevel anonymous"
			if !t.HTTP.Public {
				how = "Azure has no identity check in front of a function app here; the code must set authLevel function, so callers need a function key instead of a cloud identity"
			}
			l.ds = providers.Approximated(l.ds, azure, r, field+".http", "http trigger",
				"the HTTP route and its authorization level are declared in code: %s; the url output is https://<app>.azurewebsites.net/api/ followed by the http_route override", how)
			if timeout > httpTimeoutSeconds {
				l.ds = providers.Approximated(l.ds, azure, r, "timeout", "timeout",
					"Azure's front end ends an HTTP request after 230 seconds whatever the function's timeout (%ds); longer work must continue asynchronously", timeout)
			}
		}
	}
	if len(queues) > 0 {
		b.Set("queue_triggers", queues)
	}
	if batch > 0 {
		b.Set("batch_size", tfir.Number(int64(batch)))
	}
}

// reachability integrates the function with the blueprint's network when its
// environment refers to a database on Azure, and lets it read the password
// secret of each MySQL database whose password_secret it refers to.
func (l *lowering) reachability(b *tfir.Block, r *blueprints.Resource) {
	for _, db := range l.databases[r.Name] {
		if db.Cloud == azure {
			continue
		}
		l.ds = providers.Approximated(l.ds, azure, r, "env", "database reachability",
			"database %q is placed on %s with private networking only; an Azure function cannot reach it until the two networks are connected (VPN or interconnect), which skyform does not configure", db.Name, db.Cloud)
	}
	if onAzure(l.databases[r.Name]) {
		b.Set("subnet_id", providers.NetworkOutput(azure, "functions_subnet_id"))
	}

	vaults := map[string]*blueprints.Resource{}
	for _, e := range r.Function.Env {
		for _, ref := range e.Value.Refs() {
			db := l.bp.Resource(ref.Resource)
			if ref.Attribute == "password_secret" && db != nil && db.Kind == blueprints.KindDatabase &&
				db.Cloud == azure && db.Database.Engine == blueprints.MySQL {
				vaults[db.OriginalName()] = db
			}
		}
	}
	if len(vaults) == 0 {
		return
	}
	names := make([]string, 0, len(vaults))
	for n := range vaults {
		names = append(names, n)
	}
	sort.Strings(names)
	var o tfir.Object
	for _, n := range names {
		o = append(o, tfir.ObjectAttr{Key: n, Value: providers.Output(vaults[n], "key_vault_id")})
	}
	b.Set("key_vault_ids", o)
}
