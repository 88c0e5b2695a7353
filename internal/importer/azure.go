package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/appservice/armappservice/v5"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/authorization/armauthorization/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/containerservice/armcontainerservice/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/mysql/armmysqlflexibleservers"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/postgresql/armpostgresqlflexibleservers/v5"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/servicebus/armservicebus"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/providers"
	azurecloud "github.com/skyform/skyform/providers/azure"
)

// AzureGroupModule is the implicit module holding the blueprint's resource
// group (rg-<blueprint>); its import goes under the import file's implicit
// entries.
const AzureGroupModule = "azure_group"

// Defaults of skyform's Azure modules; an imported value that differs
// becomes an override so terraform keeps it.
const (
	sbMaxSizeMB        = 1024
	sbDuplicateSeconds = 300
	sbNoDeadLetter     = 2147483647
	flexMaxInstances   = 100
	flexDefaultTimeout = 30 * time.Minute
	mysqlAdminLogin    = "skyformadmin"
	aksOSDisk          = 128
	aksPodCIDR         = "192.168.0.0/16"
	aksServiceCIDR     = "172.16.0.0/16"
	packageContainer   = "app-package"
	// serviceBusReceiver is the role definition "Azure Service Bus Data
	// Receiver" the function module assigns on each trigger queue.
	serviceBusReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"
	// networkContributor is the role the cluster module gives the
	// cluster's identity on its subnet.
	networkContributor = "4d97b98b-1d4f-4787-a291-c67834d212e7"
	storageScope       = "https://storage.azure.com/.default"
)

// azureModuleName is the name variable's validation of skyform's Azure
// modules (the cluster's may not end with a dash).
var azureModuleName = sync.OnceValue(func() map[blueprints.Kind]*regexp.Regexp {
	return map[blueprints.Kind]*regexp.Regexp{
		blueprints.KindQueue:    regexp.MustCompile(`^[a-z][a-z0-9-]{0,50}$`),
		blueprints.KindFunction: regexp.MustCompile(`^[a-z][a-z0-9-]{0,50}$`),
		blueprints.KindDatabase: regexp.MustCompile(`^[a-z][a-z0-9-]{0,50}$`),
		blueprints.KindCluster:  regexp.MustCompile(`^[a-z][a-z0-9-]{0,50}[a-z0-9]$`),
	}
})

// flexRuntimes maps Flex Consumption runtimes to neutral ones.
var flexRuntimes = map[string]blueprints.Runtime{
	"python/3.12": blueprints.Python312,
	"python/3.11": blueprints.Python311,
	"node/20":     blueprints.NodeJS20,
	"node/22":     blueprints.NodeJS22,
	"custom/1.0":  blueprints.Go,
}

// AzureOptions say where and as whom the Azure import reads.
type AzureOptions struct {
	Subscription string
	Credential   azcore.TokenCredential
	// Client configures every client: the cloud (its Resource Manager
	// endpoint), the transport and the retry policy.
	Client *arm.ClientOptions
}

// ImportAzure reads Service Bus queues, Flex Consumption function apps
// (their functions' bindings, app settings, role assignments and code),
// PostgreSQL and MySQL flexible servers and AKS clusters in opts.Region.
func ImportAzure(ctx context.Context, az AzureOptions, opts Options) (*Result, error) {
	if az.Client == nil {
		az.Client = &arm.ClientOptions{}
	}
	a := &azureImport{ctx: ctx, az: az, opts: opts,
		res: &Result{Cloud: blueprints.Azure, Region: opts.Region, Unsupported: []Finding{}, Warnings: []Finding{},
			NotRead: []string{
				"functions' code bindings other than what the Functions host lists (an app whose host is not running lists no functions, so its triggers are missing)",
				"management locks: deletion_protection is false in the blueprint, and a lock already on a server stays as it is",
				"virtual networks and subnets: skyform's own network is created; imported servers, apps and clusters keep their subnets through overrides",
			}}}
	if err := a.clients(); err != nil {
		return nil, err
	}
	for _, step := range []func() error{a.readQueues, a.readFunctions, a.readPostgres, a.readMySQL, a.readClusters} {
		if err := step(); err != nil {
			return nil, azureError(err)
		}
	}
	var tags []map[string]string
	for _, t := range a.tagged {
		tags = append(tags, t)
	}
	a.res.Blueprint = opts.blueprintName(tags)
	a.names = &namer{blueprint: a.res.Blueprint, used: map[string]bool{}}
	a.group = "rg-" + a.res.Blueprint
	if err := a.build(); err != nil {
		return nil, azureError(err)
	}
	a.res.resolve()
	a.res.labels = commonLabels(a.res.Resources)
	return a.res, nil
}

var actionRE = regexp.MustCompile(`perform action '([^']+)'`)

// azureError names the permission an AuthorizationFailed error lacks.
func azureError(err error) error {
	var re *azcore.ResponseError
	if errors.As(err, &re) && (re.StatusCode == http.StatusForbidden || re.ErrorCode == "AuthorizationFailed") {
		msg := re.Error()
		if m := actionRE.FindStringSubmatch(msg); m != nil {
			// The message is the last line the SDK prints.
			lines := strings.Split(strings.TrimSpace(msg), "\n")
			cloudMsg := ""
			for _, l := range lines {
				if strings.Contains(l, m[1]) {
					cloudMsg = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "\"message\":"))
				}
			}
			return &PermissionError{Permission: m[1], Message: strings.Trim(cloudMsg, `",`)}
		}
	}
	var pe *PermissionError
	if errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("cannot read Azure: %w", err)
}

type azureImport struct {
	ctx   context.Context
	az    AzureOptions
	opts  Options
	res   *Result
	names *namer
	group string

	namespaces *armservicebus.NamespacesClient
	queuesC    *armservicebus.QueuesClient
	sites      *armappservice.WebAppsClient
	roles      *armauthorization.RoleAssignmentsClient
	pgServers  *armpostgresqlflexibleservers.ServersClient
	pgDBs      *armpostgresqlflexibleservers.DatabasesClient
	pgAdmins   *armpostgresqlflexibleservers.AdministratorsMicrosoftEntraClient
	myServers  *armmysqlflexibleservers.ServersClient
	myDBs      *armmysqlflexibleservers.DatabasesClient
	aks        *armcontainerservice.ManagedClustersClient
	blob       runtime.Pipeline

	tagged    []map[string]string
	queues    []*azQueue
	functions []*azFunction
	postgres  []*azPostgres
	mysql     []*azMySQL
	clusters  []*armcontainerservice.ManagedCluster
	// groupUsed is set when an imported resource lives in rg-<blueprint>.
	groupUsed bool
}

type azQueue struct {
	ns     *armservicebus.SBNamespace
	q      *armservicebus.SBQueue
	shared []string // the other queues of its namespace
}

type azFunction struct {
	site      *armappservice.Site
	settings  map[string]string
	functions []*armappservice.FunctionEnvelope
	files     map[string][]byte
}

type azPostgres struct {
	s      *armpostgresqlflexibleservers.Server
	dbs    []string
	admins []*armpostgresqlflexibleservers.AdministratorMicrosoftEntra
}

type azMySQL struct {
	s   *armmysqlflexibleservers.Server
	dbs []string
}

func (a *azureImport) clients() error {
	sub, cred, o := a.az.Subscription, a.az.Credential, a.az.Client
	var err error
	pick := func(e error) {
		if err == nil {
			err = e
		}
	}
	var e error
	a.namespaces, e = armservicebus.NewNamespacesClient(sub, cred, o)
	pick(e)
	a.queuesC, e = armservicebus.NewQueuesClient(sub, cred, o)
	pick(e)
	a.sites, e = armappservice.NewWebAppsClient(sub, cred, o)
	pick(e)
	a.roles, e = armauthorization.NewRoleAssignmentsClient(sub, cred, o)
	pick(e)
	a.pgServers, e = armpostgresqlflexibleservers.NewServersClient(sub, cred, o)
	pick(e)
	a.pgDBs, e = armpostgresqlflexibleservers.NewDatabasesClient(sub, cred, o)
	pick(e)
	a.pgAdmins, e = armpostgresqlflexibleservers.NewAdministratorsMicrosoftEntraClient(sub, cred, o)
	pick(e)
	a.myServers, e = armmysqlflexibleservers.NewServersClient(sub, cred, o)
	pick(e)
	a.myDBs, e = armmysqlflexibleservers.NewDatabasesClient(sub, cred, o)
	pick(e)
	a.aks, e = armcontainerservice.NewManagedClustersClient(sub, cred, o)
	pick(e)
	if err != nil {
		return fmt.Errorf("cannot set up the Azure clients: %w", err)
	}
	// Blob downloads of function packages: the same transport and retries,
	// a token for Azure Storage.
	a.blob = runtime.NewPipeline("skyform-import", "v1", runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(cred, []string{storageScope}, nil)},
	}, &o.ClientOptions)
	return nil
}

// sameLocation compares an Azure location as ARM writes it ("West
// Europe", "westeurope") with the --region.
func (a *azureImport) sameLocation(loc *string) bool {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }
	return norm(deref(loc)) == norm(a.opts.Region)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func azTags(m map[string]*string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = deref(v)
	}
	return out
}

// armID is a parsed Azure Resource Manager ID.
type armID struct {
	Subscription, Group, Provider string
	// Types and Names alternate: namespaces/ns/queues/q.
	Types, Names []string
}

func parseARM(id string) (armID, bool) {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	var out armID
	if len(parts) < 4 || !strings.EqualFold(parts[0], "subscriptions") || !strings.EqualFold(parts[2], "resourceGroups") {
		return out, false
	}
	out.Subscription, out.Group = parts[1], parts[3]
	rest := parts[4:]
	if len(rest) >= 2 && strings.EqualFold(rest[0], "providers") {
		out.Provider = rest[1]
		rest = rest[2:]
		for i := 0; i+1 < len(rest); i += 2 {
			out.Types = append(out.Types, rest[i])
			out.Names = append(out.Names, rest[i+1])
		}
	}
	return out, true
}

func (id armID) name() string {
	if len(id.Names) == 0 {
		return ""
	}
	return id.Names[len(id.Names)-1]
}

func (a *azureImport) readQueues() error {
	p := a.namespaces.NewListPager(nil)
	for p.More() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for _, ns := range page.Value {
			if !a.sameLocation(ns.Location) {
				continue
			}
			id, _ := parseARM(deref(ns.ID))
			var qs []*armservicebus.SBQueue
			qp := a.queuesC.NewListByNamespacePager(id.Group, deref(ns.Name), nil)
			for qp.More() {
				qpage, err := qp.NextPage(a.ctx)
				if err != nil {
					return err
				}
				qs = append(qs, qpage.Value...)
			}
			var names []string
			for _, q := range qs {
				names = append(names, deref(q.Name))
			}
			for _, q := range qs {
				if !a.opts.keep(deref(q.Name), azTags(ns.Tags)) {
					continue
				}
				var others []string
				for _, n := range names {
					if n != deref(q.Name) {
						others = append(others, n)
					}
				}
				a.queues = append(a.queues, &azQueue{ns: ns, q: q, shared: others})
				a.tagged = append(a.tagged, azTags(ns.Tags))
			}
		}
	}
	return nil
}

func (a *azureImport) readFunctions() error {
	p := a.sites.NewListPager(nil)
	for p.More() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for _, s := range page.Value {
			if !strings.Contains(deref(s.Kind), "functionapp") || !a.sameLocation(s.Location) || !a.opts.keep(deref(s.Name), azTags(s.Tags)) {
				continue
			}
			id, _ := parseARM(deref(s.ID))
			f := &azFunction{site: s, settings: map[string]string{}}
			st, err := a.sites.ListApplicationSettings(a.ctx, id.Group, deref(s.Name), nil)
			if err != nil {
				return err
			}
			for k, v := range st.Properties {
				f.settings[k] = deref(v)
			}
			fp := a.sites.NewListFunctionsPager(id.Group, deref(s.Name), nil)
			for fp.More() {
				fpage, err := fp.NextPage(a.ctx)
				if err != nil {
					return err
				}
				f.functions = append(f.functions, fpage.Value...)
			}
			a.functions = append(a.functions, f)
			a.tagged = append(a.tagged, azTags(s.Tags))
		}
	}
	return nil
}

func (a *azureImport) readPostgres() error {
	p := a.pgServers.NewListBySubscriptionPager(nil)
	for p.More() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for _, s := range page.Value {
			if !a.sameLocation(s.Location) || !a.opts.keep(deref(s.Name), azTags(s.Tags)) {
				continue
			}
			id, _ := parseARM(deref(s.ID))
			d := &azPostgres{s: s}
			dp := a.pgDBs.NewListByServerPager(id.Group, deref(s.Name), nil)
			for dp.More() {
				dpage, err := dp.NextPage(a.ctx)
				if err != nil {
					return err
				}
				for _, db := range dpage.Value {
					if n := deref(db.Name); n != "postgres" && !strings.HasPrefix(n, "azure_") {
						d.dbs = append(d.dbs, n)
					}
				}
			}
			ap := a.pgAdmins.NewListByServerPager(id.Group, deref(s.Name), nil)
			for ap.More() {
				apage, err := ap.NextPage(a.ctx)
				if err != nil {
					return err
				}
				d.admins = append(d.admins, apage.Value...)
			}
			a.postgres = append(a.postgres, d)
			a.tagged = append(a.tagged, azTags(s.Tags))
		}
	}
	return nil
}

func (a *azureImport) readMySQL() error {
	p := a.myServers.NewListPager(nil)
	for p.More() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for _, s := range page.Value {
			if !a.sameLocation(s.Location) || !a.opts.keep(deref(s.Name), azTags(s.Tags)) {
				continue
			}
			id, _ := parseARM(deref(s.ID))
			d := &azMySQL{s: s}
			dp := a.myDBs.NewListByServerPager(id.Group, deref(s.Name), nil)
			for dp.More() {
				dpage, err := dp.NextPage(a.ctx)
				if err != nil {
					return err
				}
				for _, db := range dpage.Value {
					switch n := deref(db.Name); n {
					case "information_schema", "mysql", "performance_schema", "sys":
					default:
						d.dbs = append(d.dbs, n)
					}
				}
			}
			a.mysql = append(a.mysql, d)
			a.tagged = append(a.tagged, azTags(s.Tags))
		}
	}
	return nil
}

func (a *azureImport) readClusters() error {
	p := a.aks.NewListPager(nil)
	for p.More() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for _, c := range page.Value {
			if a.sameLocation(c.Location) && a.opts.keep(deref(c.Name), azTags(c.Tags)) {
				a.clusters = append(a.clusters, c)
				a.tagged = append(a.tagged, azTags(c.Tags))
			}
		}
	}
	return nil
}

// azureSuffix is the modules' hash suffix of a derived name:
// substr(sha1("<subscription>/<group>/<name>"), 0, 8).
func azureSuffix(subscription, group, name string) string {
	sum := sha1.Sum([]byte(subscription + "/" + group + "/" + name))
	return hex.EncodeToString(sum[:])[:8]
}

// tfTrimSubstr is terraform's trim(substr(s, 0, n), "-").
func tfTrimSubstr(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.Trim(s, "-")
}

// neutral names a cloud resource: its skyform-resource tag when it carries
// the blueprint's tags, else its cloud name without the blueprint prefix.
// moduleName is the module's name variable: "<blueprint>-<name>", or the
// cloud name when the caller must keep it (an override).
func (a *azureImport) neutral(cloudName string, tags map[string]string) (name string, own bool) {
	if t := tags["skyform-resource"]; t != "" && tags["skyform-blueprint"] == a.res.Blueprint && nameRE.MatchString(t) && !a.names.used[t] {
		n, _ := a.names.name(a.res.Blueprint + "-" + t)
		return n, n == t
	}
	return a.names.name(cloudName)
}

// placed sets the resource group override of a resource outside
// rg-<blueprint>, and marks the group imported otherwise.
func (a *azureImport) placed(r *Resource, group string) {
	if group == a.group {
		a.groupUsed = true
		return
	}
	r.overrides = append(r.overrides, kv{"resource_group_name", group})
}

func (a *azureImport) build() error {
	a.buildQueues()
	for _, f := range a.functions {
		if err := a.buildFunction(f); err != nil {
			return err
		}
	}
	for _, d := range a.postgres {
		a.buildPostgres(d)
	}
	for _, d := range a.mysql {
		a.buildMySQL(d)
	}
	for _, c := range a.clusters {
		if err := a.buildCluster(c); err != nil {
			return err
		}
	}
	if a.groupUsed {
		a.res.Implicit = map[string][]compiler.Import{AzureGroupModule: {{To: "azurerm_resource_group.this",
			ID: fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", a.az.Subscription, a.group)}}}
	} else if len(a.res.Resources) > 0 {
		a.res.warn(nil, "resource group "+a.group, "no imported resource is in %s; applying creates it for skyform's network and new resources, and the imported ones stay in their groups (resource_group_name overrides)", a.group)
	}
	return nil
}

// isoDuration parses the ISO 8601 durations Service Bus writes
// (PT30S, P14D, P1DT12H, P10675199DT2H48M5.4775807S).
func isoDuration(s string) (time.Duration, bool) {
	re := regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)
	m := re.FindStringSubmatch(s)
	if m == nil || s == "P" || s == "PT" {
		return 0, false
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute} {
		if m[i+1] != "" {
			n, err := strconv.ParseInt(m[i+1], 10, 64)
			if err != nil || n > int64(1<<62)/int64(unit) {
				return 1 << 62, true
			}
			d += time.Duration(n) * unit
		}
	}
	if m[4] != "" {
		f, _ := strconv.ParseFloat(m[4], 64)
		d += time.Duration(f * float64(time.Second))
	}
	return d, true
}

func (a *azureImport) buildQueues() {
	// One namespace per queue in skyform's module: the namespace goes to
	// the first of its queues by name, the others are listed.
	taken := map[string]string{}
	sort.SliceStable(a.queues, func(i, j int) bool { return deref(a.queues[i].q.Name) < deref(a.queues[j].q.Name) })
	for _, aq := range a.queues {
		ns, q := aq.ns, aq.q
		qname := deref(q.Name)
		what := "service bus queue " + deref(ns.Name) + "/" + qname
		nsID, _ := parseARM(deref(ns.ID))
		if other, ok := taken[deref(ns.ID)]; ok {
			a.res.unsupported(nil, what, "it shares namespace %s with queue %s, and skyform's queue module gives every queue a namespace of its own", deref(ns.Name), other)
			continue
		}
		if len(aq.shared) > 0 {
			var in []string
			for _, o := range aq.shared {
				if !a.opts.keep(o, azTags(ns.Tags)) {
					in = append(in, o)
				}
			}
			if len(in) > 0 && len(in) == len(aq.shared) {
				a.res.warn(nil, what, "namespace %s also holds %s, filtered out; terraform manages the namespace with this queue", deref(ns.Name), strings.Join(in, ", "))
			}
		}
		tags := azTags(ns.Tags)
		name, own := a.neutral(qname, tags)
		if !azureModuleName()[blueprints.KindQueue].MatchString(qname) {
			a.res.unsupported(nil, what, "skyform's queue module cannot keep the name %s (it takes %s), and another name would replace it", qname, azureModuleName()[blueprints.KindQueue])
			a.names.used[name] = false
			continue
		}
		taken[deref(ns.ID)] = qname
		p := q.Properties
		if p == nil {
			p = &armservicebus.SBQueueProperties{}
		}
		host := deref(ns.Name) + ".servicebus.windows.net"
		if ns.Properties != nil && ns.Properties.ServiceBusEndpoint != nil {
			if u, err := url.Parse(*ns.Properties.ServiceBusEndpoint); err == nil && u.Hostname() != "" {
				host = u.Hostname()
			}
		}
		r := &Resource{Name: name, Kind: blueprints.KindQueue, CloudName: qname, CloudID: deref(q.ID), tags: tags,
			attrs: map[string]string{"id": deref(q.ID), "url": "https://" + host + "/" + qname}}
		ordering := "standard"
		if deref(p.RequiresSession) {
			ordering = "fifo"
		}
		lock, ok := isoDuration(deref(p.LockDuration))
		if !ok {
			lock = 60 * time.Second
		}
		ttl, ok := isoDuration(deref(p.DefaultMessageTimeToLive))
		if !ok || ttl > 14*24*time.Hour {
			a.res.warn(r, what, "messages live %s, longer than the blueprint's longest retention of 14 days; applying shortens their time to live to 14 days", deref(p.DefaultMessageTimeToLive))
			ttl = 14 * 24 * time.Hour
		}
		if ttl < time.Minute {
			a.res.warn(r, what, "messages live %s, less than the blueprint's shortest retention of 1 minute; applying lengthens it to 1 minute", ttl)
			ttl = time.Minute
		}
		r.fields = append(r.fields, kv{"ordering", ordering}, kv{"visibility_timeout", blueprints.FormatDuration(lock)}, kv{"retention", blueprints.FormatDuration(ttl)})
		if n := int(deref(p.MaxDeliveryCount)); n != sbNoDeadLetter {
			if n > 1000 {
				a.res.warn(r, what, "a message is dead-lettered after %d deliveries, more than the blueprint's 1000; applying lowers it to 1000", n)
				n = 1000
			}
			if n < 1 {
				n = 10
			}
			r.fields = append(r.fields, kv{"dead_letter", []kv{{"max_deliveries", n}}})
		}
		r.fields = append(r.fields, kv{"encryption", true})
		if !own {
			r.overrides = append(r.overrides, kv{"name", qname})
		}
		a.placed(r, nsID.Group)
		group := nsID.Group
		derived := tfTrimSubstr(qname, 41) + "-" + azureSuffix(a.az.Subscription, group, qname)
		if deref(ns.Name) != derived {
			r.overrides = append(r.overrides, kv{"namespace_name", deref(ns.Name)})
		}
		sku := ""
		if ns.SKU != nil && ns.SKU.Name != nil {
			sku = string(*ns.SKU.Name)
		}
		switch sku {
		case "Premium":
			r.overrides = append(r.overrides, kv{"sku", "Premium"})
		case "Basic":
			a.res.warn(r, what, "namespace %s is on the Basic tier, which has no sessions; skyform's module runs Standard, so applying upgrades the namespace", deref(ns.Name))
		}
		if ns.Properties != nil && !deref(ns.Properties.DisableLocalAuth) {
			r.overrides = append(r.overrides, kv{"local_auth_enabled", true})
		}
		if n := int(deref(p.MaxSizeInMegabytes)); n != 0 && n != sbMaxSizeMB {
			r.overrides = append(r.overrides, kv{"max_size_in_megabytes", n})
		}
		if deref(p.DeadLetteringOnMessageExpiration) {
			r.overrides = append(r.overrides, kv{"dead_lettering_on_message_expiration", true})
		}
		if deref(p.RequiresDuplicateDetection) != deref(p.RequiresSession) {
			a.res.warn(r, what, "duplicate detection is %v while sessions are %v; skyform's module turns both on for fifo and off otherwise, so applying changes duplicate detection, which replaces the queue", deref(p.RequiresDuplicateDetection), deref(p.RequiresSession))
		} else if deref(p.RequiresSession) {
			if w, ok := isoDuration(deref(p.DuplicateDetectionHistoryTimeWindow)); ok && int(w.Seconds()) != sbDuplicateSeconds {
				r.overrides = append(r.overrides, kv{"duplicate_detection_seconds", int(w.Seconds())})
			}
		}
		if f := deref(p.ForwardTo); f != "" {
			a.res.unsupported(r, what, "it forwards its messages to %s; a blueprint queue does not forward, and applying turns forwarding off", f)
		}
		if f := deref(p.ForwardDeadLetteredMessagesTo); f != "" {
			a.res.unsupported(r, what, "it forwards its dead letters to %s; a blueprint keeps them in the queue's $DeadLetterQueue, and applying turns forwarding off", f)
		}
		if d, ok := isoDuration(deref(p.AutoDeleteOnIdle)); ok && d < 10000*24*time.Hour {
			a.res.unsupported(r, what, "it is deleted after %s idle; a blueprint queue is never deleted by the cloud, and applying turns that off", deref(p.AutoDeleteOnIdle))
		}
		r.Imports = append(r.Imports,
			compiler.Import{To: "azurerm_servicebus_namespace.this", ID: nsARM(deref(ns.ID))},
			compiler.Import{To: "azurerm_servicebus_queue.this", ID: nsARM(deref(ns.ID)) + "/queues/" + qname})
		a.res.Resources = append(a.res.Resources, r)
	}
}

// nsARM writes a resource ID with the casing of the provider's import
// format, which ARM does not always return.
func nsARM(id string) string {
	p, ok := parseARM(id)
	if !ok {
		return id
	}
	var b strings.Builder
	fmt.Fprintf(&b, "/subscriptions/%s/resourceGroups/%s", p.Subscription, p.Group)
	if p.Provider == "" {
		return b.String()
	}
	fmt.Fprintf(&b, "/providers/%s", canonicalProvider(p.Provider))
	for i, t := range p.Types {
		fmt.Fprintf(&b, "/%s/%s", canonicalType(t), p.Names[i])
	}
	return b.String()
}

func canonicalProvider(p string) string {
	for _, c := range []string{"Microsoft.ServiceBus", "Microsoft.Web", "Microsoft.Storage", "Microsoft.ManagedIdentity",
		"Microsoft.DBforPostgreSQL", "Microsoft.DBforMySQL", "Microsoft.ContainerService", "Microsoft.Network", "Microsoft.KeyVault"} {
		if strings.EqualFold(c, p) {
			return c
		}
	}
	return p
}

func canonicalType(t string) string {
	for _, c := range []string{"namespaces", "queues", "sites", "serverFarms", "storageAccounts", "userAssignedIdentities",
		"flexibleServers", "databases", "administrators", "managedClusters", "agentPools", "virtualNetworks", "subnets", "privateDnsZones"} {
		if strings.EqualFold(c, t) {
			return c
		}
	}
	return t
}

// bindingSetting resolves a binding value written %SETTING% to the app
// setting's value.
func bindingSetting(v string, settings map[string]string) string {
	if strings.HasPrefix(v, "%") && strings.HasSuffix(v, "%") && len(v) > 2 {
		return settings[strings.Trim(v, "%")]
	}
	return v
}

// platformSettings are app settings the Functions platform or azurerm own;
// they are not the function's environment.
func platformSetting(k string) bool {
	up := strings.ToUpper(k)
	for _, p := range []string{"AZUREWEBJOBS", "FUNCTIONS_", "WEBSITE_", "SCM_", "DEPLOYMENT_STORAGE_CONNECTION_STRING", "ENABLE_ORYX_BUILD"} {
		if strings.HasPrefix(up, p) {
			return true
		}
	}
	return false
}

// moduleSetting are the settings skyform's function module writes itself.
func moduleSetting(k string) bool {
	up := strings.ToUpper(k)
	return up == "AZURE_CLIENT_ID" || strings.HasPrefix(up, "AZUREFUNCTIONSJOBHOST__") || strings.HasPrefix(up, "SERVICEBUS_") || strings.HasPrefix(up, "TIMER_SCHEDULE_")
}

var sbHostRE = regexp.MustCompile(`(?i)Endpoint=sb://([^/;]+)`)

func (a *azureImport) buildFunction(f *azFunction) error {
	s := f.site
	app := deref(s.Name)
	what := "function app " + app
	id, _ := parseARM(deref(s.ID))
	props := s.Properties
	if props == nil || props.FunctionAppConfig == nil {
		a.res.unsupported(nil, what, "it does not run on the Flex Consumption plan, and skyform's function module runs every function there")
		return nil
	}
	cfg := props.FunctionAppConfig
	rtKey := ""
	if cfg.Runtime != nil {
		rtKey = string(deref(cfg.Runtime.Name)) + "/" + deref(cfg.Runtime.Version)
	}
	rt, ok := flexRuntimes[rtKey]
	if !ok {
		a.res.unsupported(nil, what, "its runtime %s is none of the blueprint's (python 3.11 and 3.12, node 20 and 22, custom handlers as go)", rtKey)
		return nil
	}
	tags := azTags(s.Tags)
	name, _ := a.neutral(app, tags)
	moduleName := a.res.Blueprint + "-" + name
	if !azureModuleName()[blueprints.KindFunction].MatchString(moduleName) {
		a.res.unsupported(nil, what, "the blueprint name %s-%s is longer than skyform's function module takes", a.res.Blueprint, name)
		a.names.used[name] = false
		return nil
	}
	plan, _ := parseARM(deref(props.ServerFarmID))
	if !strings.EqualFold(plan.Group, id.Group) {
		a.res.unsupported(nil, what, "its plan %s is in resource group %s, not the app's %s, and skyform's module keeps both in one group", plan.name(), plan.Group, id.Group)
		a.names.used[name] = false
		return nil
	}
	r := &Resource{Name: name, Kind: blueprints.KindFunction, CloudName: app, CloudID: deref(s.ID), tags: tags,
		attrs: map[string]string{"id": deref(s.ID)}, env: map[string]string{}}
	if h := deref(props.DefaultHostName); h != "" {
		r.attrs["url"] = "https://" + h + "/api/"
	}
	a.placed(r, id.Group)
	suffix := azureSuffix(a.az.Subscription, id.Group, moduleName)
	if want := tfTrimSubstr(moduleName, 23) + "-" + suffix; app != want {
		r.overrides = append(r.overrides, kv{"app_name", app})
	}
	if want := "asp-" + moduleName; plan.name() != want {
		r.overrides = append(r.overrides, kv{"service_plan_name", plan.name()})
	}

	// The package's container in the app's storage account.
	var account, container string
	if cfg.Deployment != nil && cfg.Deployment.Storage != nil {
		if u, err := url.Parse(deref(cfg.Deployment.Storage.Value)); err == nil {
			account, _, _ = strings.Cut(u.Hostname(), ".")
			container = strings.Trim(u.Path, "/")
		}
	}
	if account == "" {
		a.res.unsupported(nil, what, "it names no deployment storage container, so its package cannot be read")
		a.names.used[name] = false
		return nil
	}
	files, err := a.code(deref(cfg.Deployment.Storage.Value))
	if err != nil {
		return fmt.Errorf("cannot read the package of %s: %w", what, err)
	}
	r.files = files
	if want := "st" + tfTrimSubstr(strings.ReplaceAll(moduleName, "-", ""), 14) + suffix; account != want {
		r.overrides = append(r.overrides, kv{"storage_account_name", account})
	}
	accountID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Storage/storageAccounts/%s", a.az.Subscription, id.Group, account)
	r.Imports = append(r.Imports, compiler.Import{To: "azurerm_storage_account.this", ID: accountID})
	if container == packageContainer {
		r.Imports = append(r.Imports, compiler.Import{To: "azurerm_storage_container.package", ID: accountID + "/blobServices/default/containers/" + container})
	} else {
		a.res.warn(r, what, "its package is in container %s; skyform's module keeps it in %s, so applying creates that container and deploys there", container, packageContainer)
	}
	r.Imports = append(r.Imports,
		compiler.Import{To: "azurerm_service_plan.this", ID: nsARM(deref(props.ServerFarmID))},
		compiler.Import{To: "azurerm_function_app_flex_consumption.this", ID: nsARM(deref(s.ID))})

	// The app's identity: skyform's module gives it id-<name>.
	principal := ""
	if s.Identity != nil {
		for idID, ui := range s.Identity.UserAssignedIdentities {
			p, _ := parseARM(idID)
			if p.name() == "id-"+moduleName && strings.EqualFold(p.Group, id.Group) {
				principal = deref(ui.PrincipalID)
				r.Imports = append(r.Imports, compiler.Import{To: "azurerm_user_assigned_identity.this", ID: nsARM(idID)})
			}
		}
	}
	if principal == "" {
		a.res.warn(r, what, "it does not run as the user-assigned identity id-%s skyform's module gives it; applying creates that identity, with exactly the roles the blueprint's wiring needs, and switches the app to it", moduleName)
	}

	// Azure Functions finds entry points in the code: the blueprint's
	// handler keeps its default and is not used here.
	r.fields = append(r.fields, kv{"runtime", string(rt)}, kv{"source", "./" + path.Join("functions", name)})
	mem := 2048
	if sc := cfg.ScaleAndConcurrency; sc != nil {
		if m := int(deref(sc.InstanceMemoryMB)); m != 0 {
			mem = m
		}
	}
	if mem != 2048 && mem != 4096 {
		a.res.warn(r, what, "instances have %d MB; skyform's module sizes Flex Consumption instances 2048 or 4096 MB, so applying gives them 2048 MB", mem)
		mem = 2048
	}
	r.fields = append(r.fields, kv{"memory_mb", mem})
	timeout := flexDefaultTimeout
	if t := f.settings["AzureFunctionsJobHost__functionTimeout"]; t != "" {
		if d, ok := hostTimeout(t); ok {
			timeout = d
		}
	}
	if timeout > time.Hour || timeout < time.Second {
		a.res.warn(r, what, "its function timeout %s is outside the blueprint's 1s to 1h; applying sets 1h", timeout)
		timeout = time.Hour
	}
	r.fields = append(r.fields, kv{"timeout", blueprints.FormatDuration(timeout)})
	if sc := cfg.ScaleAndConcurrency; sc != nil {
		if n := int(deref(sc.MaximumInstanceCount)); n != 0 && n != flexMaxInstances {
			r.fields = append(r.fields, kv{"concurrency", min(n, 1000)})
		}
	}
	if sub := deref(props.VirtualNetworkSubnetID); sub != "" {
		r.overrides = append(r.overrides, kv{"subnet_id", nsARM(sub)})
	}

	// The environment: the app settings that are neither the platform's nor
	// the module's.
	batch := 0
	if b, err := strconv.Atoi(f.settings["AzureFunctionsJobHost__extensions__serviceBus__maxMessageBatchSize"]); err == nil {
		batch = b
	}
	for _, k := range sortedKeys(f.settings) {
		v := f.settings[k]
		switch {
		case platformSetting(k) || moduleSetting(k):
		case strings.HasPrefix(strings.ToUpper(k), "APPLICATIONINSIGHTS_") || strings.HasPrefix(strings.ToUpper(k), "APPINSIGHTS_"):
			a.res.unsupported(r, what, "app setting %s connects Application Insights, which skyform's module does not configure; applying removes it", k)
		case strings.Contains(strings.ToLower(v), "sharedaccesskey=") || strings.Contains(strings.ToLower(v), "accountkey=") || strings.Contains(strings.ToLower(v), "password="):
			a.res.unsupported(r, what, "app setting %s holds a key or password, which a blueprint does not keep; applying removes it (keep the secret in Key Vault and refer to it)", k)
		case !envKeyRE.MatchString(k):
			a.res.unsupported(r, what, "app setting %s is not a valid environment variable name for a blueprint; applying removes it", k)
		default:
			r.env[k] = v
		}
	}

	// Triggers: the bindings the Functions host lists.
	for _, fn := range f.functions {
		fname := deref(fn.Name)
		if i := strings.LastIndex(fname, "/"); i >= 0 {
			fname = fname[i+1:]
		}
		cfgMap, _ := fn.Properties.Config.(map[string]any)
		bindings, _ := cfgMap["bindings"].([]any)
		for _, bv := range bindings {
			b, _ := bv.(map[string]any)
			typ, _ := b["type"].(string)
			str := func(k string) string { s, _ := b[k].(string); return s }
			fwhat := "function " + app + "/" + fname
			switch strings.ToLower(typ) {
			case "servicebustrigger":
				queue := bindingSetting(str("queueName"), f.settings)
				conn := str("connection")
				host := f.settings[conn+"__fullyQualifiedNamespace"]
				if host == "" {
					if m := sbHostRE.FindStringSubmatch(f.settings[conn]); m != nil {
						host = m[1]
					}
				}
				if queue == "" || host == "" {
					a.res.unsupported(r, fwhat, "its Service Bus trigger names queue %q through connection %q, which the app settings do not resolve", str("queueName"), conn)
					continue
				}
				if topic := str("topicName"); topic != "" {
					a.res.unsupported(r, fwhat, "it is triggered by a Service Bus topic subscription; a blueprint trigger reads a queue")
					continue
				}
				t := trigger{queueARN: "https://" + host + "/" + queue, batch: batch, mappingID: fwhat,
					what: "function " + app + "/" + fname}
				r.triggers = append(r.triggers, t)
			case "httptrigger":
				public := strings.EqualFold(str("authLevel"), "anonymous")
				dup := false
				for _, t := range r.triggers {
					dup = dup || t.http != nil
				}
				if !dup {
					r.triggers = append(r.triggers, trigger{http: &public})
				}
			case "timertrigger":
				a.res.unsupported(r, fwhat, "its timer trigger (schedule %q) is not imported; add it as triggers: [{schedule: ...}]", bindingSetting(str("schedule"), f.settings))
			case "http", "":
				// an HTTP trigger's output binding
			default:
				if strings.HasSuffix(strings.ToLower(typ), "trigger") {
					a.res.unsupported(r, fwhat, "its %s has no blueprint trigger", typ)
				}
			}
		}
	}

	r.onTrigger = func(q *Resource, _ string) {
		if principal == "" {
			return
		}
		ra, err := a.roleAssignment(q.CloudID, principal, serviceBusReceiver)
		if err != nil {
			a.res.warn(r, what, "the role assignments on queue %s cannot be read (%v); applying creates the receiver role for the app's identity, which fails if it exists", q.CloudName, azureError(err))
			return
		}
		if ra == "" {
			a.res.warn(r, what, "its identity has no Azure Service Bus Data Receiver role on queue %s itself; applying grants it", q.CloudName)
			return
		}
		r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("azurerm_role_assignment.queue[%q]", q.Name), ID: ra})
	}
	a.res.Resources = append(a.res.Resources, r)
	return nil
}

var envKeyRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// hostTimeout parses host.json's functionTimeout (hh:mm:ss).
func hostTimeout(s string) (time.Duration, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return 0, false
		}
		n[i] = v
	}
	return time.Duration(n[0])*time.Hour + time.Duration(n[1])*time.Minute + time.Duration(n[2])*time.Second, true
}

// roleAssignment finds the assignment of the role definition to principal
// at scope itself.
func (a *azureImport) roleAssignment(scope, principal, role string) (string, error) {
	p := a.roles.NewListForScopePager(scope, &armauthorization.RoleAssignmentsClientListForScopeOptions{Filter: ptr("atScope()")})
	for p.More() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return "", err
		}
		for _, ra := range page.Value {
			pr := ra.Properties
			if pr == nil || deref(pr.PrincipalID) != principal || !strings.HasSuffix(strings.ToLower(deref(pr.RoleDefinitionID)), role) {
				continue
			}
			if !strings.EqualFold(strings.TrimRight(deref(pr.Scope), "/"), strings.TrimRight(scope, "/")) {
				continue
			}
			return deref(ra.ID), nil
		}
	}
	return "", nil
}

func ptr[T any](v T) *T { return &v }

// blobReadAction is the data action reading a function app's package.
const blobReadAction = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"

// code downloads the newest zip of the app's package container and unpacks
// it; only regular files with local paths are taken.
func (a *azureImport) code(containerURL string) (map[string][]byte, error) {
	get := func(u string) ([]byte, error) {
		req, err := runtime.NewRequest(a.ctx, http.MethodGet, u)
		if err != nil {
			return nil, err
		}
		req.Raw().Header.Set("x-ms-version", "2023-11-03")
		resp, err := a.blob.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusForbidden {
			// Blob Storage answers a missing data action with its own
			// XML error, which names no action: the one reading a package
			// (listing its container included) is blobs/read.
			var e struct {
				Code    string `xml:"Code"`
				Message string `xml:"Message"`
			}
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			_ = xml.Unmarshal(body, &e)
			return nil, &PermissionError{Permission: blobReadAction, Message: strings.TrimSpace(e.Code + ": " + e.Message)}
		}
		if resp.StatusCode != http.StatusOK {
			return nil, runtime.NewResponseError(resp)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxCodeBytes+1))
		if err != nil {
			return nil, err
		}
		if len(data) > maxCodeBytes {
			return nil, fmt.Errorf("the package is larger than %d MB", maxCodeBytes>>20)
		}
		return data, nil
	}
	list, err := get(strings.TrimRight(containerURL, "/") + "?restype=container&comp=list")
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", containerURL, err)
	}
	var res struct {
		Blobs []struct {
			Name     string `xml:"Name"`
			Modified string `xml:"Properties>Last-Modified"`
		} `xml:"Blobs>Blob"`
	}
	if err := xml.Unmarshal(list, &res); err != nil {
		return nil, fmt.Errorf("listing %s: %w", containerURL, err)
	}
	newest, at := "", time.Time{}
	for _, b := range res.Blobs {
		t, _ := time.Parse(time.RFC1123, b.Modified)
		if strings.HasSuffix(b.Name, ".zip") && (newest == "" || t.After(at)) {
			newest, at = b.Name, t
		}
	}
	if newest == "" {
		return nil, fmt.Errorf("%s holds no zip package", containerURL)
	}
	data, err := get(strings.TrimRight(containerURL, "/") + "/" + url.PathEscape(newest))
	if err != nil {
		return nil, fmt.Errorf("downloading %s: %w", newest, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("the package %s is not a zip: %w", newest, err)
	}
	files := map[string][]byte{}
	for _, zf := range zr.File {
		if !zf.Mode().IsRegular() {
			continue
		}
		if !filepath.IsLocal(zf.Name) || strings.Contains(zf.Name, `\`) {
			return nil, fmt.Errorf("the package holds %q, outside its directory", zf.Name)
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxCodeBytes))
		rc.Close()
		if err != nil {
			return nil, err
		}
		files[path.Clean(zf.Name)] = b
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("the package %s is empty", newest)
	}
	return files, nil
}

// skuVCPU reads the vCPUs of an Azure VM or database SKU from its size
// number (Standard_D4ads_v5 → 4, B2s → 2).
func skuVCPU(sku string) int {
	m := regexp.MustCompile(`Standard_[A-Za-z]+?(\d+)`).FindStringSubmatch(sku)
	if m == nil {
		return 2
	}
	n, _ := strconv.Atoi(m[1])
	return max(n, 1)
}

var dbTierPrefix = map[string]string{"Burstable": "B_", "GeneralPurpose": "GP_", "MemoryOptimized": "MO_", "BusinessCritical": "MO_"}

// databaseCommon fills what PostgreSQL and MySQL share.
func (a *azureImport) databaseCommon(r *Resource, what, engine, version, skuName, tier string, storage, backup int, ha string, group string) {
	sku := dbTierPrefix[tier] + skuName
	// The nearest size of the same tier, when the table has one.
	table := (&azurecloud.Cloud{}).Sizes()
	var tiered []providers.SizeMapping
	for _, m := range table {
		if m.Kind == blueprints.KindDatabase && strings.HasPrefix(m.Type, dbTierPrefix[tier]) {
			tiered = append(tiered, m)
		}
	}
	if len(tiered) > 0 {
		if _, _, exact := nearestSize(table, blueprints.KindDatabase, sku, 0); !exact {
			table = tiered
		}
	}
	size, sm, exact := nearestSize(table, blueprints.KindDatabase, sku, skuVCPU(skuName))
	if !exact {
		a.res.warn(r, what, "SKU %s is not in the size table; size %s (%s) is the nearest, so applying resizes the server", sku, size, sm.Type)
	}
	if storage < 20 {
		storage = 20
	}
	if backup < 1 {
		backup = 1
	}
	haOn := ha != "" && ha != "Disabled"
	r.fields = append(r.fields, kv{"engine", engine}, kv{"version", version}, kv{"size", string(size)}, kv{"storage_gb", storage},
		kv{"high_availability", haOn}, kv{"backup_retention_days", backup}, kv{"deletion_protection", false})
	if ha == "SameZone" {
		r.overrides = append(r.overrides, kv{"high_availability_mode", "SameZone"})
	}
}

// keepNetwork keeps a server's delegated subnet and private DNS zone by
// overrides, since Azure cannot move a server to another subnet.
func (a *azureImport) keepNetwork(r *Resource, what, subnet, zone string) {
	if subnet == "" {
		a.res.warn(r, what, "it has public access and no delegated subnet; skyform's module gives a server private access in the blueprint's network, which Azure does by replacing the server")
		return
	}
	r.overrides = append(r.overrides, kv{"subnet_id", nsARM(subnet)})
	if zone != "" {
		r.overrides = append(r.overrides, kv{"private_dns_zone_id", nsARM(zone)})
	}
}

// databaseName imports the server's one database, or warns.
func (a *azureImport) databaseName(r *Resource, what string, dbs []string, to, serverID string) {
	want := strings.ReplaceAll(r.Name, "-", "_")
	sort.Strings(dbs)
	switch {
	case len(dbs) == 0:
		a.res.warn(r, what, "it holds no database of its own; applying creates %s", want)
		return
	case len(dbs) > 1:
		a.res.unsupported(r, what, "it holds the databases %s, and a blueprint database is one; only %s is managed, the others stay as they are", strings.Join(dbs, ", "), dbs[0])
	}
	if dbs[0] != want {
		r.overrides = append(r.overrides, kv{"database_name", dbs[0]})
	}
	r.attrs["name"] = dbs[0]
	r.Imports = append(r.Imports, compiler.Import{To: to, ID: nsARM(serverID) + "/databases/" + dbs[0]})
}

func (a *azureImport) buildPostgres(d *azPostgres) {
	s := d.s
	sname := deref(s.Name)
	what := "postgresql flexible server " + sname
	p := s.Properties
	if p == nil {
		p = &armpostgresqlflexibleservers.ServerProperties{}
	}
	version := string(deref(p.Version))
	if n, err := strconv.Atoi(version); err != nil || n < 13 || n > 17 {
		a.res.unsupported(nil, what, "PostgreSQL %s is none of the blueprint's (13 to 17)", version)
		return
	}
	id, _ := parseARM(deref(s.ID))
	tags := azTags(s.Tags)
	name, _ := a.neutral(sname, tags)
	moduleName := a.res.Blueprint + "-" + name
	if !azureModuleName()[blueprints.KindDatabase].MatchString(moduleName) {
		a.res.unsupported(nil, what, "the blueprint name %s is longer than skyform's database module takes", moduleName)
		a.names.used[name] = false
		return
	}
	r := &Resource{Name: name, Kind: blueprints.KindDatabase, CloudName: sname, CloudID: deref(s.ID), tags: tags,
		attrs: map[string]string{"id": deref(s.ID), "host": deref(p.FullyQualifiedDomainName), "port": "5432", "password_secret": "entra-id"}}
	a.placed(r, id.Group)
	if want := tfTrimSubstr(moduleName, 54) + "-" + azureSuffix(a.az.Subscription, id.Group, moduleName); sname != want {
		r.overrides = append(r.overrides, kv{"server_name", sname})
	}
	var skuName, tier string
	if s.SKU != nil {
		skuName, tier = deref(s.SKU.Name), string(deref(s.SKU.Tier))
	}
	storage, backup, ha := 0, 0, ""
	if p.Storage != nil {
		storage = int(deref(p.Storage.StorageSizeGB))
	}
	if !containsInt(postgresStorage, storage) {
		a.res.warn(r, what, "%d GB of storage is not a size PostgreSQL flexible servers are created with; the blueprint keeps it, and Azure may refuse it", storage)
	}
	if p.Backup != nil {
		backup = int(deref(p.Backup.BackupRetentionDays))
	}
	if p.HighAvailability != nil {
		ha = string(deref(p.HighAvailability.Mode))
	}
	a.databaseCommon(r, what, "postgres", version, skuName, tier, storage, backup, ha, id.Group)
	if p.Network != nil {
		a.keepNetwork(r, what, deref(p.Network.DelegatedSubnetResourceID), deref(p.Network.PrivateDNSZoneArmResourceID))
	}
	if p.AuthConfig != nil {
		if deref(p.AuthConfig.PasswordAuth) == armpostgresqlflexibleservers.PasswordBasedAuthEnabled {
			a.res.warn(r, what, "it accepts passwords; skyform's module allows Microsoft Entra ID sign-in only, so applying turns password authentication off")
		}
		if deref(p.AuthConfig.ActiveDirectoryAuth) != armpostgresqlflexibleservers.MicrosoftEntraAuthEnabled {
			a.res.warn(r, what, "Microsoft Entra ID sign-in is off; applying turns it on")
		}
	}
	r.Imports = append(r.Imports, compiler.Import{To: "azurerm_postgresql_flexible_server.this[0]", ID: nsARM(deref(s.ID))})
	a.databaseName(r, what, d.dbs, "azurerm_postgresql_flexible_server_database.this[0]", deref(s.ID))
	// The Entra administrator: skyform's identity id-<name>-admin, or the
	// principal the server has, kept by the entra_administrator override.
	switch {
	case len(d.admins) == 0:
		a.res.warn(r, what, "it has no Microsoft Entra administrator; applying makes the identity id-%s-admin its administrator", moduleName)
	default:
		sort.Slice(d.admins, func(i, j int) bool { return deref(d.admins[i].Name) < deref(d.admins[j].Name) })
		ad := d.admins[0].Properties
		if len(d.admins) > 1 {
			a.res.unsupported(r, what, "it has %d Microsoft Entra administrators, and skyform's module manages one (%s)", len(d.admins), deref(ad.PrincipalName))
		}
		oid := deref(ad.ObjectID)
		if deref(ad.PrincipalName) == "id-"+moduleName+"-admin" {
			r.Imports = append(r.Imports, compiler.Import{To: "azurerm_user_assigned_identity.admin[0]",
				ID: fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ManagedIdentity/userAssignedIdentities/%s", a.az.Subscription, id.Group, deref(ad.PrincipalName))})
		} else {
			r.overrides = append(r.overrides, kv{"entra_administrator", []kv{{"object_id", oid}, {"principal_name", deref(ad.PrincipalName)}, {"principal_type", string(deref(ad.PrincipalType))}}})
		}
		r.attrs["username"] = deref(ad.PrincipalName)
		r.Imports = append(r.Imports, compiler.Import{To: "azurerm_postgresql_flexible_server_active_directory_administrator.this[0]", ID: nsARM(deref(s.ID)) + "/administrators/" + oid})
	}
	a.res.Resources = append(a.res.Resources, r)
}

var postgresStorage = []int{32, 64, 128, 256, 512, 1024, 2048, 4095, 4096, 8192, 16384, 32767}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// mysqlVersion maps Azure's MySQL versions to the blueprint's.
var mysqlVersion = map[string]string{"8.0.21": "8.0", "8.4": "8.4"}

func (a *azureImport) buildMySQL(d *azMySQL) {
	s := d.s
	sname := deref(s.Name)
	what := "mysql flexible server " + sname
	p := s.Properties
	if p == nil {
		p = &armmysqlflexibleservers.ServerProperties{}
	}
	version, ok := mysqlVersion[string(deref(p.Version))]
	if !ok {
		a.res.unsupported(nil, what, "MySQL %s is none of the blueprint's (8.0.21 as 8.0, 8.4)", deref(p.Version))
		return
	}
	id, _ := parseARM(deref(s.ID))
	tags := azTags(s.Tags)
	name, _ := a.neutral(sname, tags)
	moduleName := a.res.Blueprint + "-" + name
	if !azureModuleName()[blueprints.KindDatabase].MatchString(moduleName) {
		a.res.unsupported(nil, what, "the blueprint name %s is longer than skyform's database module takes", moduleName)
		a.names.used[name] = false
		return
	}
	r := &Resource{Name: name, Kind: blueprints.KindDatabase, CloudName: sname, CloudID: deref(s.ID), tags: tags,
		attrs: map[string]string{"id": deref(s.ID), "host": deref(p.FullyQualifiedDomainName), "port": "3306", "username": deref(p.AdministratorLogin)}}
	a.placed(r, id.Group)
	if want := tfTrimSubstr(moduleName, 54) + "-" + azureSuffix(a.az.Subscription, id.Group, moduleName); sname != want {
		r.overrides = append(r.overrides, kv{"server_name", sname})
	}
	var skuName, tier string
	if s.SKU != nil {
		skuName, tier = deref(s.SKU.Name), string(deref(s.SKU.Tier))
	}
	storage, backup, ha := 0, 0, ""
	if p.Storage != nil {
		storage = int(deref(p.Storage.StorageSizeGB))
		if deref(p.Storage.AutoGrow) == armmysqlflexibleservers.EnableStatusEnumEnabled {
			a.res.warn(r, what, "storage grows by itself; skyform's module turns auto-grow off so terraform's size stays the server's")
		}
	}
	if p.Backup != nil {
		backup = int(deref(p.Backup.BackupRetentionDays))
	}
	if p.HighAvailability != nil {
		ha = string(deref(p.HighAvailability.Mode))
	}
	a.databaseCommon(r, what, "mysql", version, skuName, tier, storage, backup, ha, id.Group)
	if p.Network != nil {
		a.keepNetwork(r, what, deref(p.Network.DelegatedSubnetResourceID), deref(p.Network.PrivateDNSZoneResourceID))
	}
	if l := deref(p.AdministratorLogin); l != mysqlAdminLogin {
		r.overrides = append(r.overrides, kv{"administrator_login", l})
	}
	a.res.warn(r, what, "skyform keeps a MySQL administrator password in a Key Vault of the server's own: applying creates that vault and its secret and sets a new administrator password, so clients signing in as %s need the new one", deref(p.AdministratorLogin))
	r.Imports = append(r.Imports, compiler.Import{To: "azurerm_mysql_flexible_server.this[0]", ID: nsARM(deref(s.ID))})
	a.databaseName(r, what, d.dbs, "azurerm_mysql_flexible_database.this[0]", deref(s.ID))
	a.res.Resources = append(a.res.Resources, r)
}

var minorRE = regexp.MustCompile(`^(\d+\.\d+)`)

// subnetRole imports the cluster identity's Network Contributor role on
// its subnet, which the module grants.
func (a *azureImport) subnetRole(r *Resource, what string, c *armcontainerservice.ManagedCluster, subnet string) error {
	principal := ""
	if c.Identity != nil {
		principal = deref(c.Identity.PrincipalID)
	}
	ra := ""
	if principal != "" {
		var err error
		if ra, err = a.roleAssignment(subnet, principal, networkContributor); err != nil {
			return err
		}
	}
	if ra == "" {
		a.res.warn(r, what, "its identity has no Network Contributor role on its subnet itself; applying grants it")
		return nil
	}
	r.Imports = append(r.Imports, compiler.Import{To: "azurerm_role_assignment.subnet", ID: ra})
	return nil
}

func (a *azureImport) buildCluster(c *armcontainerservice.ManagedCluster) error {
	cname := deref(c.Name)
	what := "aks cluster " + cname
	p := c.Properties
	if p == nil {
		p = &armcontainerservice.ManagedClusterProperties{}
	}
	version := minorRE.FindString(deref(p.KubernetesVersion))
	supported := false
	for _, v := range blueprints.KubernetesVersions {
		supported = supported || v == version
	}
	if !supported {
		a.res.unsupported(nil, what, "Kubernetes %s is none of the blueprint's (%s)", deref(p.KubernetesVersion), strings.Join(blueprints.KubernetesVersions, ", "))
		return nil
	}
	if !azureModuleName()[blueprints.KindCluster].MatchString(cname) {
		a.res.unsupported(nil, what, "skyform's cluster module cannot keep the name %s (it takes %s), and another name would replace it", cname, azureModuleName()[blueprints.KindCluster])
		return nil
	}
	// The module's default pool is the first regular pool by name; the
	// cluster's system pool must be that one.
	pools := append([]*armcontainerservice.ManagedClusterAgentPoolProfile(nil), p.AgentPoolProfiles...)
	sort.Slice(pools, func(i, j int) bool { return deref(pools[i].Name) < deref(pools[j].Name) })
	var system []string
	firstRegular := ""
	for _, pl := range pools {
		if deref(pl.Mode) == armcontainerservice.AgentPoolModeSystem {
			system = append(system, deref(pl.Name))
		}
		if firstRegular == "" && deref(pl.ScaleSetPriority) != armcontainerservice.ScaleSetPrioritySpot {
			firstRegular = deref(pl.Name)
		}
	}
	switch {
	case len(pools) == 0:
		a.res.unsupported(nil, what, "it has no node pools, and a blueprint cluster has at least one")
		return nil
	case len(system) != 1:
		a.res.unsupported(nil, what, "it has %d system node pools (%s), and skyform's module makes exactly one, the first regular pool by name", len(system), strings.Join(system, ", "))
		return nil
	case system[0] != firstRegular:
		a.res.unsupported(nil, what, "its system pool %s is not its first regular pool by name (%s), which skyform's module makes the system pool, so importing would replace the cluster", system[0], firstRegular)
		return nil
	}
	id, _ := parseARM(deref(c.ID))
	tags := azTags(c.Tags)
	name, own := a.neutral(cname, tags)
	r := &Resource{Name: name, Kind: blueprints.KindCluster, CloudName: cname, CloudID: deref(c.ID), tags: tags,
		attrs: map[string]string{"id": deref(c.ID), "endpoint": "https://" + deref(p.Fqdn) + ":443"}}
	private := p.APIServerAccessProfile != nil && deref(p.APIServerAccessProfile.EnablePrivateCluster)
	if private {
		r.attrs["endpoint"] = "https://" + deref(p.PrivateFQDN) + ":443"
	}
	r.fields = append(r.fields, kv{"kubernetes", version}, kv{"private_endpoint", private})
	if !own {
		r.overrides = append(r.overrides, kv{"name", cname})
	}
	a.placed(r, id.Group)
	if dp := deref(p.DNSPrefix); dp != cname {
		r.overrides = append(r.overrides, kv{"dns_prefix", dp})
	}
	if c.SKU != nil && c.SKU.Tier != nil && *c.SKU.Tier != armcontainerservice.ManagedClusterSKUTierFree {
		r.overrides = append(r.overrides, kv{"sku_tier", string(*c.SKU.Tier)})
	}
	if c.Identity == nil || deref(c.Identity.Type) != armcontainerservice.ResourceIdentityTypeSystemAssigned {
		a.res.warn(r, what, "it does not run as a system-assigned identity, which skyform's module gives a cluster; applying changes its identity")
	}
	if np := p.NetworkProfile; np != nil {
		if deref(np.NetworkPlugin) != armcontainerservice.NetworkPluginAzure || deref(np.NetworkPluginMode) != armcontainerservice.NetworkPluginModeOverlay {
			a.res.warn(r, what, "its network plugin is %s %s; skyform's module uses Azure CNI overlay, and changing the plugin replaces the cluster", deref(np.NetworkPlugin), deref(np.NetworkPluginMode))
		}
		if c := deref(np.PodCidr); c != "" && c != aksPodCIDR {
			r.overrides = append(r.overrides, kv{"pod_cidr", c})
		}
		if c := deref(np.ServiceCidr); c != "" && c != aksServiceCIDR {
			r.overrides = append(r.overrides, kv{"service_cidr", c})
		}
	}
	var bpPools []kv
	subnets := map[string]bool{}
	disks := map[int]bool{}
	for _, pl := range pools {
		pname := deref(pl.Name)
		pwhat := "aks node pool " + cname + "/" + pname
		size, sm, exact := nearestSize((&azurecloud.Cloud{}).Sizes(), blueprints.KindCluster, deref(pl.VMSize), skuVCPU(deref(pl.VMSize)))
		if !exact {
			a.res.warn(r, pwhat, "VM size %s is not in the size table; size %s (%s) is the nearest, so applying replaces the pool's nodes", deref(pl.VMSize), size, sm.Type)
		}
		lo, hi := int(deref(pl.MinCount)), int(deref(pl.MaxCount))
		if !deref(pl.EnableAutoScaling) {
			n := int(deref(pl.Count))
			lo, hi = n, n
			a.res.warn(r, pwhat, "it does not autoscale (%d nodes); skyform's module turns the autoscaler on with min and max %d", n, n)
		}
		if hi < 1 {
			hi = 1
		}
		fields := []kv{{"size", string(size)}, {"min", lo}, {"max", hi}}
		if deref(pl.ScaleSetPriority) == armcontainerservice.ScaleSetPrioritySpot {
			fields = append(fields, kv{"spot", true})
		}
		bpPools = append(bpPools, kv{pname, fields})
		subnets[deref(pl.VnetSubnetID)] = true
		if d := int(deref(pl.OSDiskSizeGB)); d != 0 {
			disks[d] = true
		}
		if deref(pl.Mode) != armcontainerservice.AgentPoolModeSystem {
			r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("azurerm_kubernetes_cluster_node_pool.this[%q]", pname), ID: nsARM(deref(c.ID)) + "/agentPools/" + pname})
		}
	}
	r.fields = append(r.fields, kv{"node_pools", bpPools})
	r.Imports = append([]compiler.Import{{To: "azurerm_kubernetes_cluster.this", ID: nsARM(deref(c.ID))}}, r.Imports...)
	if len(subnets) == 1 {
		for s := range subnets {
			if s == "" {
				a.res.warn(r, what, "its nodes are in the network AKS made for it; skyform's module puts them in the blueprint network's subnet, which replaces the node pools")
			} else {
				r.overrides = append(r.overrides, kv{"subnet_id", nsARM(s)})
				if err := a.subnetRole(r, what, c, s); err != nil {
					return err
				}
			}
		}
	} else {
		a.res.warn(r, what, "its pools are in %d subnets, and skyform's module puts every pool in one; applying moves the others, which replaces them", len(subnets))
	}
	if len(disks) == 1 {
		for d := range disks {
			if d != aksOSDisk {
				r.overrides = append(r.overrides, kv{"os_disk_size_gb", d})
			}
		}
	} else if len(disks) > 1 {
		a.res.warn(r, what, "its pools have OS disks of different sizes, and skyform's module gives every pool one size; applying replaces the pools whose size differs")
	}
	a.res.Resources = append(a.res.Resources, r)
	return nil
}
