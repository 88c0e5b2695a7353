package importer

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/internal/pack"
	"github.com/skyform/skyform/providers"
	gcpcloud "github.com/skyform/skyform/providers/gcp"
	cloudfunctions "google.golang.org/api/cloudfunctions/v2"
	crm "google.golang.org/api/cloudresourcemanager/v3"
	cloudscheduler "google.golang.org/api/cloudscheduler/v1"
	container "google.golang.org/api/container/v1"
	"google.golang.org/api/googleapi"
	iam "google.golang.org/api/iam/v1"
	"google.golang.org/api/option"
	pubsub "google.golang.org/api/pubsub/v1"
	run "google.golang.org/api/run/v2"
	sqladmin "google.golang.org/api/sqladmin/v1"
)

// GCPConfig says which project the GCP import reads and how it reaches the
// APIs.
type GCPConfig struct {
	// Project is the project id.
	Project string
	// Endpoint, when set, replaces every API's endpoint (an emulator, a
	// test server); the calls are then made with HTTP as it is.
	Endpoint string
	// HTTP calls the APIs: an authenticated client (Application Default
	// Credentials) for Google's endpoints. 429 and 503 answers are retried.
	HTTP *http.Client
	// Download fetches function sources from the signed URLs the API
	// gives (nil: a plain client); it carries no credentials.
	Download *http.Client
}

// Module defaults of skyform's GCP modules; an imported value that differs
// becomes an override so terraform keeps it.
const (
	gcpNodeDiskGB       = 100
	gcpReleaseChannel   = "EXTENDED"
	gcpIngress          = "ALLOW_ALL"
	gcpDeadLetterRetain = 7 * 24 * time.Hour
	gcpMaxSubRetention  = 7 * 24 * time.Hour
	gcpMaxTopicRetain   = 31 * 24 * time.Hour
	gcpMinSubRetention  = 10 * time.Minute
	gcpInvoker          = "roles/run.invoker"
	gcpTokenCreator     = "roles/iam.serviceAccountTokenCreator"
)

// gcpNodeRoles are the project roles skyform's cluster module grants its
// node service account.
var gcpNodeRoles = []string{
	"roles/artifactregistry.reader",
	"roles/logging.logWriter",
	"roles/monitoring.metricWriter",
	"roles/monitoring.viewer",
	"roles/stackdriver.resourceMetadata.writer",
}

// gcpDBRoles are the project roles, conditioned on the instance, of
// skyform's database administrator service account.
var gcpDBRoles = []string{"roles/cloudsql.client", "roles/cloudsql.instanceUser"}

// gcfRuntimes maps Cloud Run functions runtime ids to neutral runtimes.
var gcfRuntimes = map[string]blueprints.Runtime{
	"python312": blueprints.Python312,
	"python311": blueprints.Python311,
	"nodejs20":  blueprints.NodeJS20,
	"nodejs22":  blueprints.NodeJS22,
}

// gcpModuleNames are the cloud names skyform's GCP modules keep as they
// are (their name validation and the lengths they shorten beyond).
var gcpModuleNames = sync.OnceValue(func() map[blueprints.Kind]*regexp.Regexp {
	return map[blueprints.Kind]*regexp.Regexp{
		blueprints.KindQueue:    regexp.MustCompile(`^[a-z][a-z0-9-]{0,199}$`),
		blueprints.KindFunction: regexp.MustCompile(`^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$`),
		blueprints.KindDatabase: regexp.MustCompile(`^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`),
		blueprints.KindCluster:  regexp.MustCompile(`^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$`),
	}
})

// ImportGCP reads, in one project and region, Pub/Sub topics with their
// subscriptions, Cloud Run functions (2nd gen) with their code, push
// subscriptions and Eventarc triggers, Cloud Run services, Cloud SQL
// instances and GKE clusters with their node pools, and the IAM policies
// that show which of the grants skyform's modules make exist.
func ImportGCP(ctx context.Context, cfg GCPConfig, opts Options) (*Result, error) {
	if cfg.Project == "" {
		return nil, errors.New("no project to read")
	}
	client := cfg.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	client = retrying(client)
	download := cfg.Download
	if download == nil {
		download = http.DefaultClient
	}
	copts := []option.ClientOption{option.WithHTTPClient(client)}
	if cfg.Endpoint != "" {
		copts = append(copts, option.WithEndpoint(strings.TrimRight(cfg.Endpoint, "/")+"/"))
	}
	g := &gcpImport{ctx: ctx, opts: opts, project: cfg.Project, download: retrying(download), policies: map[string][]gcpBinding{},
		res: &Result{Cloud: blueprints.GCP, Region: opts.Region, Unsupported: []Finding{}, Warnings: []Finding{},
			NotRead: []string{
				"VPC networks, subnets and private services access: skyform's own network is created",
			}}}
	var err error
	if g.crm, err = crm.NewService(ctx, copts...); err == nil {
		if g.pubsub, err = pubsub.NewService(ctx, copts...); err == nil {
			if g.functions, err = cloudfunctions.NewService(ctx, copts...); err == nil {
				if g.run, err = run.NewService(ctx, copts...); err == nil {
					if g.sql, err = sqladmin.NewService(ctx, copts...); err == nil {
						if g.gke, err = container.NewService(ctx, copts...); err == nil {
							if g.iam, err = iam.NewService(ctx, copts...); err == nil {
								g.scheduler, err = cloudscheduler.NewService(ctx, copts...)
							}
						}
					}
				}
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("cannot reach GCP: %w", err)
	}
	for _, step := range []func() error{g.readProject, g.readPubSub, g.readFunctions, g.readJobs, g.readServices, g.readInstances, g.readClusters} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	var tags []map[string]string
	for _, t := range g.topics {
		tags = append(tags, t.Labels)
	}
	for _, f := range g.fns {
		tags = append(tags, f.fn.Labels)
	}
	for _, d := range g.instances {
		tags = append(tags, d.inst.Settings.UserLabels)
	}
	for _, c := range g.clusters {
		tags = append(tags, c.ResourceLabels)
	}
	g.admin = map[*Resource]string{}
	g.res.Blueprint = opts.blueprintName(tags)
	g.names = &namer{blueprint: g.res.Blueprint, used: map[string]bool{}}
	if err := g.build(); err != nil {
		return nil, err
	}
	g.res.resolve()
	g.res.labels = commonLabels(g.res.Resources)
	return g.res, nil
}

// retrying wraps a client so that 429 (RESOURCE_EXHAUSTED) and 503
// (UNAVAILABLE) answers are retried with a growing pause: the generated
// REST clients do not retry ordinary calls themselves.
func retrying(c *http.Client) *http.Client {
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cc := *c
	cc.Transport = &retryTransport{base: base, pause: 200 * time.Millisecond, tries: 6}
	return &cc
}

type retryTransport struct {
	base  http.RoundTripper
	pause time.Duration
	tries int
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	for i := 0; ; i++ {
		resp, err := t.base.RoundTrip(req)
		if err != nil || i == t.tries-1 || resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
			return resp, err
		}
		if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
			return resp, nil
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		wait := t.pause << i
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			wait = time.Duration(s) * time.Second
		}
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(wait):
		}
		if req.GetBody != nil {
			if req.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
	}
}

// gcpError names the permission a refused call lacks: the one the API's
// ErrorInfo names, else the one the call needs.
func gcpError(permission string, err error) error {
	var ge *googleapi.Error
	if errors.As(err, &ge) && ge.Code == http.StatusForbidden {
		for _, d := range ge.Details {
			m, _ := d.(map[string]any)
			md, _ := m["metadata"].(map[string]any)
			if p, _ := md["permission"].(string); p != "" {
				permission = p
			}
		}
		return &PermissionError{Permission: permission, Message: ge.Message}
	}
	return fmt.Errorf("cannot read GCP (%s): %w", permission, err)
}

type gcpImport struct {
	ctx       context.Context
	opts      Options
	project   string
	number    string
	download  *http.Client
	crm       *crm.Service
	pubsub    *pubsub.Service
	functions *cloudfunctions.Service
	run       *run.Service
	sql       *sqladmin.Service
	gke       *container.Service
	iam       *iam.Service
	scheduler *cloudscheduler.Service
	res       *Result
	names     *namer

	topics    []*pubsub.Topic
	subs      []*pubsub.Subscription
	fns       []*gcpFunction
	services  []*run.GoogleCloudRunV2Service
	jobs      []*cloudscheduler.Job
	instances []*gcpInstance
	clusters  []*container.Cluster
	// policies are the IAM bindings read, by resource name.
	policies map[string][]gcpBinding
	// queueOf is the neutral queue of each imported topic.
	queueOf map[string]*Resource
	// pull is a queue's pull subscription, deadLetter whether it dead
	// letters, admin a database's administrator service account.
	pull       map[*Resource]string
	deadLetter map[*Resource]bool
	admin      map[*Resource]string
}

type gcpFunction struct {
	fn    *cloudfunctions.Function
	files map[string][]byte
	// push are the push subscriptions delivering to the function.
	push []*pubsub.Subscription
}

type gcpInstance struct {
	inst  *sqladmin.DatabaseInstance
	dbs   []*sqladmin.Database
	users []*sqladmin.User
}

// gcpBinding is one role's members in an IAM policy (the same JSON in
// every API), with the title of its condition.
type gcpBinding struct {
	Role      string   `json:"role"`
	Members   []string `json:"members"`
	Condition *struct {
		Title string `json:"title"`
	} `json:"condition"`
}

func last(name string) string { return name[strings.LastIndex(name, "/")+1:] }

func (g *gcpImport) readProject() error {
	p, err := g.crm.Projects.Get("projects/" + g.project).Context(g.ctx).Do()
	if err != nil {
		return gcpError("resourcemanager.projects.get", err)
	}
	g.number = strings.TrimPrefix(p.Name, "projects/")
	pol, err := g.crm.Projects.GetIamPolicy("projects/"+g.project, &crm.GetIamPolicyRequest{Options: &crm.GetPolicyOptions{RequestedPolicyVersion: 3}}).Context(g.ctx).Do()
	if err != nil {
		return gcpError("resourcemanager.projects.getIamPolicy", err)
	}
	return g.keepPolicy("projects/"+g.project, pol)
}

// keepPolicy records a policy's bindings under its resource name.
func (g *gcpImport) keepPolicy(resource string, policy any) error {
	data, err := json.Marshal(policy)
	if err != nil {
		return err
	}
	var p struct {
		Bindings []gcpBinding `json:"bindings"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	g.policies[resource] = p.Bindings
	return nil
}

// granted reports whether resource's policy grants role to member (under
// the condition titled title, "" for none).
func (g *gcpImport) granted(resource, role, member, title string) bool {
	for _, b := range g.policies[resource] {
		t := ""
		if b.Condition != nil {
			t = b.Condition.Title
		}
		if b.Role != role || t != title {
			continue
		}
		for _, m := range b.Members {
			if m == member {
				return true
			}
		}
	}
	return false
}

func (g *gcpImport) topicPolicy(name string) error {
	if _, ok := g.policies[name]; ok {
		return nil
	}
	p, err := g.pubsub.Projects.Topics.GetIamPolicy(name).Context(g.ctx).Do()
	if err != nil {
		return gcpError("pubsub.topics.getIamPolicy", err)
	}
	return g.keepPolicy(name, p)
}

func (g *gcpImport) subscriptionPolicy(name string) error {
	if _, ok := g.policies[name]; ok {
		return nil
	}
	p, err := g.pubsub.Projects.Subscriptions.GetIamPolicy(name).Context(g.ctx).Do()
	if err != nil {
		return gcpError("pubsub.subscriptions.getIamPolicy", err)
	}
	return g.keepPolicy(name, p)
}

func (g *gcpImport) accountPolicy(email string) error {
	name := g.accountName(email)
	if _, ok := g.policies[name]; ok {
		return nil
	}
	p, err := g.iam.Projects.ServiceAccounts.GetIamPolicy(name).Context(g.ctx).Do()
	if err != nil {
		return gcpError("iam.serviceAccounts.getIamPolicy", err)
	}
	return g.keepPolicy(name, p)
}

func (g *gcpImport) accountName(email string) string {
	return "projects/" + g.project + "/serviceAccounts/" + email
}

func (g *gcpImport) account(id string) string {
	return id + "@" + g.project + ".iam.gserviceaccount.com"
}

// pubsubAgent is the project's Pub/Sub service agent, which moves
// dead-lettered messages and signs push requests.
func (g *gcpImport) pubsubAgent() string {
	return "serviceAccount:service-" + g.number + "@gcp-sa-pubsub.iam.gserviceaccount.com"
}

func (g *gcpImport) readPubSub() error {
	err := g.pubsub.Projects.Topics.List("projects/"+g.project).Pages(g.ctx, func(p *pubsub.ListTopicsResponse) error {
		g.topics = append(g.topics, p.Topics...)
		return nil
	})
	if err != nil {
		return gcpError("pubsub.topics.list", err)
	}
	err = g.pubsub.Projects.Subscriptions.List("projects/"+g.project).Pages(g.ctx, func(p *pubsub.ListSubscriptionsResponse) error {
		g.subs = append(g.subs, p.Subscriptions...)
		return nil
	})
	if err != nil {
		return gcpError("pubsub.subscriptions.list", err)
	}
	var kept []*pubsub.Topic
	for _, t := range g.topics {
		if g.opts.keep(last(t.Name), t.Labels) {
			kept = append(kept, t)
		}
	}
	g.topics = kept
	return nil
}

func (g *gcpImport) location() string {
	return "projects/" + g.project + "/locations/" + g.opts.Region
}

func (g *gcpImport) readFunctions() error {
	var fns []*cloudfunctions.Function
	err := g.functions.Projects.Locations.Functions.List(g.location()).Pages(g.ctx, func(p *cloudfunctions.ListFunctionsResponse) error {
		fns = append(fns, p.Functions...)
		return nil
	})
	if err != nil {
		return gcpError("cloudfunctions.functions.list", err)
	}
	for _, fn := range fns {
		if !g.opts.keep(last(fn.Name), fn.Labels) {
			continue
		}
		f := &gcpFunction{fn: fn}
		if fn.Environment == "GEN_2" && fn.ServiceConfig != nil {
			if _, ok := gcfRuntime(fn); ok {
				out, err := g.functions.Projects.Locations.Functions.GenerateDownloadUrl(fn.Name, &cloudfunctions.GenerateDownloadUrlRequest{}).Context(g.ctx).Do()
				if err != nil {
					return gcpError("cloudfunctions.functions.sourceCodeGet", err)
				}
				if f.files, err = downloadPackage(g.ctx, g.download, out.DownloadUrl); err != nil {
					return fmt.Errorf("cannot read the code of cloud function %s: %w", last(fn.Name), err)
				}
			}
			if svc := fn.ServiceConfig.Service; svc != "" {
				p, err := g.run.Projects.Locations.Services.GetIamPolicy(svc).Context(g.ctx).Do()
				if err != nil {
					return gcpError("run.services.getIamPolicy", err)
				}
				if err := g.keepPolicy(svc, p); err != nil {
					return err
				}
			}
		}
		g.fns = append(g.fns, f)
	}
	return nil
}

func gcfRuntime(fn *cloudfunctions.Function) (blueprints.Runtime, bool) {
	if fn.BuildConfig == nil {
		return "", false
	}
	rt := fn.BuildConfig.Runtime
	if r, ok := gcfRuntimes[rt]; ok {
		return r, true
	}
	if strings.HasPrefix(rt, "go1") {
		return blueprints.Go, true
	}
	return "", false
}

func (g *gcpImport) readJobs() error {
	err := g.scheduler.Projects.Locations.Jobs.List(g.location()).Pages(g.ctx, func(p *cloudscheduler.ListJobsResponse) error {
		for _, j := range p.Jobs {
			if strings.HasPrefix(last(j.Name), g.opts.Prefix) {
				g.jobs = append(g.jobs, j)
			}
		}
		return nil
	})
	if err != nil {
		return gcpError("cloudscheduler.jobs.list", err)
	}
	return nil
}

// buildJobs lists the Cloud Scheduler jobs that call no imported function.
// Jobs carry no labels: under --tag only those calling a kept function
// belong to the import.
func (g *gcpImport) buildJobs(called map[*cloudscheduler.Job]bool) {
	if len(g.opts.Tags) > 0 {
		return
	}
	for _, j := range g.jobs {
		if called[j] {
			continue
		}
		target := "no HTTP target"
		if j.HttpTarget != nil {
			target = j.HttpTarget.Uri
		}
		g.res.unsupported(nil, "cloud scheduler job "+last(j.Name), "it calls %s, not an imported function, and a blueprint schedule is a function's trigger", target)
	}
}

// schedules makes the function's schedule triggers of the Cloud Scheduler
// jobs that call its URL: skyform names them "<function>-<n>", n counting
// the function's schedules, so a job is imported when it is the n-th.
func (g *gcpImport) schedules(f *gcpFunction, r *Resource, fname, acct, svc string, called map[*cloudscheduler.Job]bool) error {
	uris := map[string]bool{}
	for _, u := range functionURIs(f) {
		uris[strings.TrimRight(u, "/")] = true
	}
	var jobs []*cloudscheduler.Job
	for _, j := range g.jobs {
		if j.HttpTarget != nil && uris[strings.TrimRight(j.HttpTarget.Uri, "/")] {
			jobs = append(jobs, j)
			called[j] = true
		}
	}
	// skyform's own jobs first, in their order, then the others by name.
	rank := func(j *cloudscheduler.Job) int {
		if n, err := strconv.Atoi(strings.TrimPrefix(last(j.Name), fname+"-")); err == nil && strings.HasPrefix(last(j.Name), fname+"-") {
			return n
		}
		return 1 << 30
	}
	sort.SliceStable(jobs, func(a, b int) bool {
		ra, rb := rank(jobs[a]), rank(jobs[b])
		return ra < rb || ra == rb && jobs[a].Name < jobs[b].Name
	})
	schedSA := g.account(acct + "-sched")
	n := 0
	saImported := false
	for _, j := range jobs {
		what := "cloud scheduler job " + last(j.Name)
		if _, cerr := blueprints.ParseCron(j.Schedule); cerr != nil {
			g.res.unsupported(r, what, "its schedule %q is not a cron schedule a blueprint reads (%s)", j.Schedule, cerr.Summary)
			continue
		}
		n++
		tz := j.TimeZone
		if tz == "" {
			tz = "UTC"
		}
		r.triggers = append(r.triggers, trigger{schedule: j.Schedule, timezone: tz})
		if last(j.Name) == fmt.Sprintf("%s-%d", fname, n) {
			r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("google_cloud_scheduler_job.trigger[%q]", strconv.Itoa(n)), ID: j.Name})
		} else {
			g.res.warn(r, what, "calls the function, but skyform's job for this schedule is named %s-%d: applying creates that one, so delete this one or the function runs twice", fname, n)
		}
		if j.HttpTarget.OidcToken != nil && j.HttpTarget.OidcToken.ServiceAccountEmail == schedSA {
			if !saImported {
				saImported = true
				r.Imports = append(r.Imports, compiler.Import{To: "google_service_account.scheduler[0]", ID: g.accountName(schedSA)})
				if g.granted(svc, gcpInvoker, "serviceAccount:"+schedSA, "") {
					r.Imports = append(r.Imports, compiler.Import{To: "google_cloud_run_v2_service_iam_member.scheduler[0]", ID: svc + " " + gcpInvoker + " serviceAccount:" + schedSA})
				}
			}
		} else {
			g.res.warn(r, what, "does not call as skyform's account %s; applying creates it and the job calls as it", schedSA)
		}
	}
	return nil
}

func (g *gcpImport) readServices() error {
	err := g.run.Projects.Locations.Services.List(g.location()).Pages(g.ctx, func(p *run.GoogleCloudRunV2ListServicesResponse) error {
		g.services = append(g.services, p.Services...)
		return nil
	})
	if err != nil {
		return gcpError("run.services.list", err)
	}
	return nil
}

func (g *gcpImport) readInstances() error {
	var all []*sqladmin.DatabaseInstance
	err := g.sql.Instances.List(g.project).Pages(g.ctx, func(p *sqladmin.InstancesListResponse) error {
		all = append(all, p.Items...)
		return nil
	})
	if err != nil {
		return gcpError("cloudsql.instances.list", err)
	}
	for _, in := range all {
		if in.Region != g.opts.Region || in.Settings == nil || !g.opts.keep(in.Name, in.Settings.UserLabels) {
			continue
		}
		d := &gcpInstance{inst: in}
		dbs, err := g.sql.Databases.List(g.project, in.Name).Context(g.ctx).Do()
		if err != nil {
			return gcpError("cloudsql.databases.list", err)
		}
		d.dbs = dbs.Items
		users, err := g.sql.Users.List(g.project, in.Name).Context(g.ctx).Do()
		if err != nil {
			return gcpError("cloudsql.users.list", err)
		}
		d.users = users.Items
		g.instances = append(g.instances, d)
	}
	return nil
}

func (g *gcpImport) readClusters() error {
	out, err := g.gke.Projects.Locations.Clusters.List("projects/" + g.project + "/locations/-").Context(g.ctx).Do()
	if err != nil {
		return gcpError("container.clusters.list", err)
	}
	for _, c := range out.Clusters {
		if (c.Location == g.opts.Region || strings.HasPrefix(c.Location, g.opts.Region+"-")) && g.opts.keep(c.Name, c.ResourceLabels) {
			g.clusters = append(g.clusters, c)
		}
	}
	return nil
}

// keepName reports whether the module keeps the cloud name; when not, the
// resource is listed as unsupported: another name would replace it.
func (g *gcpImport) keepName(kind blueprints.Kind, what, cloudName, neutral string) bool {
	if gcpModuleNames()[kind].MatchString(cloudName) {
		return true
	}
	g.res.unsupported(nil, what, "skyform's %s module cannot keep the name %s (it takes %s), and another name would replace it", kind, cloudName, gcpModuleNames()[kind])
	g.names.used[neutral] = false
	return false
}

func (g *gcpImport) build() error {
	if err := g.buildQueues(); err != nil {
		return err
	}
	for _, d := range g.instances {
		if err := g.buildDatabase(d); err != nil {
			return err
		}
	}
	called := map[*cloudscheduler.Job]bool{}
	for _, f := range g.fns {
		if err := g.buildFunction(f, called); err != nil {
			return err
		}
	}
	g.buildJobs(called)
	g.buildServices()
	for _, c := range g.clusters {
		g.buildCluster(c)
	}
	return nil
}

// seconds of a protobuf duration ("604800s"); def when empty or unreadable.
func protoSeconds(s string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(s); err == nil {
		return d
	}
	return def
}

// functionURI is the HTTPS address push subscriptions deliver to.
func functionURIs(f *gcpFunction) []string {
	var out []string
	if f.fn.ServiceConfig != nil && f.fn.ServiceConfig.Uri != "" {
		out = append(out, f.fn.ServiceConfig.Uri)
	}
	if f.fn.Url != "" {
		out = append(out, f.fn.Url)
	}
	return out
}

// buildQueues makes a queue of every topic that is not the dead-letter
// topic of another ("<topic>-dlq"), with its pull subscription named like
// it; push subscriptions to an imported function become that function's
// triggers; other subscriptions are listed as unsupported.
func (g *gcpImport) buildQueues() error {
	g.queueOf = map[string]*Resource{}
	g.pull, g.deadLetter = map[*Resource]string{}, map[*Resource]bool{}
	topics := map[string]*pubsub.Topic{}
	for _, t := range g.topics {
		topics[t.Name] = t
	}
	byEndpoint := map[string]*gcpFunction{}
	for _, f := range g.fns {
		for _, u := range functionURIs(f) {
			byEndpoint[strings.TrimRight(u, "/")] = f
		}
	}
	// Push subscriptions to an imported function are its triggers, whatever
	// their topic: one on a topic not imported is listed as such.
	pushTo := func(s *pubsub.Subscription) *gcpFunction {
		if s.PushConfig == nil || s.PushConfig.PushEndpoint == "" {
			return nil
		}
		return byEndpoint[strings.TrimRight(s.PushConfig.PushEndpoint, "/")]
	}
	subsOf := map[string][]*pubsub.Subscription{}
	for _, s := range g.subs {
		if f := pushTo(s); f != nil {
			f.push = append(f.push, s)
		}
		subsOf[s.Topic] = append(subsOf[s.Topic], s)
	}
	// A topic is a dead-letter topic when a subscription of the topic it
	// is named after dead-letters to it.
	dlqOf := map[string]*pubsub.Topic{}
	absorbed := map[string]bool{}
	for _, t := range g.topics {
		dlq := topics[t.Name+"-dlq"]
		if dlq == nil {
			continue
		}
		for _, s := range subsOf[t.Name] {
			if s.DeadLetterPolicy != nil && s.DeadLetterPolicy.DeadLetterTopic == dlq.Name {
				dlqOf[t.Name], absorbed[dlq.Name] = dlq, true
			}
		}
	}
	for _, t := range g.topics {
		if absorbed[t.Name] {
			continue
		}
		tname := last(t.Name)
		what := "pubsub topic " + tname
		name, own := g.names.name(tname)
		if !g.keepName(blueprints.KindQueue, what, tname, name) {
			continue
		}
		r := &Resource{Name: name, Kind: blueprints.KindQueue, CloudName: tname, CloudID: t.Name, tags: t.Labels,
			attrs: map[string]string{"id": t.Name, "name": tname, "url": "https://pubsub.googleapis.com/v1/" + t.Name + ":publish"}}
		g.queueOf[t.Name] = r
		var pull *pubsub.Subscription
		var settings *pubsub.Subscription
		for _, s := range subsOf[t.Name] {
			sname := last(s.Name)
			switch {
			case pushTo(s) != nil:
				if settings == nil {
					settings = s
				}
			case (s.PushConfig == nil || s.PushConfig.PushEndpoint == "") && sname == tname && s.BigqueryConfig == nil && s.CloudStorageConfig == nil:
				pull, settings = s, s
			case strings.HasPrefix(sname, "eventarc-"):
				g.res.unsupported(r, "pubsub subscription "+sname, "it is the subscription of an Eventarc trigger, which goes with the trigger; skyform delivers with a push subscription of its own instead")
			default:
				g.res.unsupported(r, "pubsub subscription "+sname, "skyform's queue has one pull subscription named like its topic (%s) and a push subscription per function it triggers; this one stays as it is, outside the blueprint", tname)
			}
		}
		if pull != nil {
			settings = pull
		}
		if !own {
			r.overrides = append(r.overrides, kv{"name", tname})
		}
		g.deadLetter[r] = g.delivery(r, t, settings, dlqOf[t.Name])
		r.Imports = append(r.Imports, compiler.Import{To: "google_pubsub_topic.this", ID: t.Name})
		if pull != nil {
			r.Imports = append(r.Imports, compiler.Import{To: "google_pubsub_subscription.this[0]", ID: pull.Name})
			g.pull[r] = pull.Name
		} else if settings == nil {
			g.res.warn(r, what, "the topic has no subscription; applying creates the queue's pull subscription %s", tname)
		}
		if dlq := dlqOf[t.Name]; dlq != nil {
			dsub := "projects/" + g.project + "/subscriptions/" + last(dlq.Name)
			r.Imports = append(r.Imports, compiler.Import{To: "google_pubsub_topic.dead_letter[0]", ID: dlq.Name})
			found := false
			for _, s := range subsOf[dlq.Name] {
				if s.Name == dsub {
					found = true
					if a := protoSeconds(s.MessageRetentionDuration, gcpDeadLetterRetain); a != gcpDeadLetterRetain {
						g.res.warn(r, "pubsub subscription "+last(s.Name), "keeps dead letters %s; skyform's module keeps them 7 days, so applying changes it", blueprints.FormatDuration(a))
					}
				} else {
					g.res.unsupported(r, "pubsub subscription "+last(s.Name), "reads the dead-letter topic %s; skyform's queue has one subscription there, %s, and this one stays as it is", last(dlq.Name), last(dsub))
				}
			}
			if found {
				r.Imports = append(r.Imports, compiler.Import{To: "google_pubsub_subscription.dead_letter[0]", ID: dsub})
			} else {
				g.res.warn(r, what, "the dead-letter topic %s has no subscription %s; applying creates it, so dead letters are kept", last(dlq.Name), last(dsub))
			}
			if err := g.topicPolicy(dlq.Name); err != nil {
				return err
			}
			if g.granted(dlq.Name, "roles/pubsub.publisher", g.pubsubAgent(), "") {
				r.Imports = append(r.Imports, compiler.Import{To: "google_pubsub_topic_iam_member.dead_letter_publisher[0]", ID: dlq.Name + " roles/pubsub.publisher " + g.pubsubAgent()})
			}
			if pull != nil {
				if err := g.subscriptionPolicy(pull.Name); err != nil {
					return err
				}
				if g.granted(pull.Name, "roles/pubsub.subscriber", g.pubsubAgent(), "") {
					r.Imports = append(r.Imports, compiler.Import{To: "google_pubsub_subscription_iam_member.dead_letter_subscriber[0]", ID: pull.Name + " roles/pubsub.subscriber " + g.pubsubAgent()})
				}
			}
		}
		g.res.Resources = append(g.res.Resources, r)
	}
	return nil
}

// delivery sets a queue's fields from its topic and the subscription that
// carries its delivery settings (nil: the module's defaults).
func (g *gcpImport) delivery(r *Resource, t *pubsub.Topic, s *pubsub.Subscription, dlq *pubsub.Topic) (deadLettered bool) {
	what := "pubsub topic " + last(t.Name)
	ack, retention, ordering := int64(30), 4*24*time.Hour, false
	var deadLetter int64
	if s != nil {
		what = "pubsub subscription " + last(s.Name)
		if s.AckDeadlineSeconds > 0 {
			ack = s.AckDeadlineSeconds
		}
		retention = protoSeconds(s.MessageRetentionDuration, 7*24*time.Hour)
		ordering = s.EnableMessageOrdering
		if s.EnableExactlyOnceDelivery != ordering && (s.PushConfig == nil || s.PushConfig.PushEndpoint == "") {
			g.res.warn(r, what, "exactly-once delivery is %s; skyform's queue module turns it on exactly for ordered (fifo) queues, so applying turns it %s", onOff(s.EnableExactlyOnceDelivery), onOff(ordering))
		}
		if s.DeadLetterPolicy != nil {
			if dlq != nil && s.DeadLetterPolicy.DeadLetterTopic == dlq.Name {
				deadLetter = s.DeadLetterPolicy.MaxDeliveryAttempts
				if deadLetter == 0 {
					deadLetter = 5
				}
			} else {
				g.res.unsupported(r, what, "its dead-letter topic %s is not the one skyform manages (named %s-dlq, next to the topic), so the blueprint has no dead_letter for it", s.DeadLetterPolicy.DeadLetterTopic, last(t.Name))
			}
		}
		if s.ExpirationPolicy != nil && s.ExpirationPolicy.Ttl != "" {
			g.res.warn(r, what, "expires after %s without subscribers; skyform's queue never expires, so applying removes the expiration", s.ExpirationPolicy.Ttl)
		}
		if s.Filter != "" {
			g.res.unsupported(r, what, "its filter %q has no blueprint field, and applying removes it (a filter cannot change, so the subscription is replaced)", s.Filter)
		}
		if s.RetryPolicy != nil {
			g.res.warn(r, what, "its retry policy (backoff %s to %s) is not skyform's, which redelivers at once; applying removes it", s.RetryPolicy.MinimumBackoff, s.RetryPolicy.MaximumBackoff)
		}
	}
	// skyform's queue keeps a retention beyond what a subscription keeps
	// on the topic; a topic retention it would not set is an override.
	topicRetention := protoSeconds(t.MessageRetentionDuration, 0)
	if topicRetention > gcpMaxSubRetention && retention >= gcpMaxSubRetention {
		retention = topicRetention
	} else if topicRetention > 0 {
		r.overrides = append(r.overrides, kv{"topic_message_retention_seconds", int(topicRetention / time.Second)})
	}
	if t.KmsKeyName != "" {
		g.res.warn(r, "pubsub topic "+last(t.Name), "encrypted with the Cloud KMS key %s; skyform's queue module uses Google-managed keys, so applying switches the topic to them", t.KmsKeyName)
	}
	order := "standard"
	if ordering {
		order = "fifo"
	}
	r.fields = append(r.fields, kv{"ordering", order}, kv{"visibility_timeout", duration(int(ack))}, kv{"retention", blueprints.FormatDuration(retention)})
	if deadLetter > 0 {
		r.fields = append(r.fields, kv{"dead_letter", []kv{{"max_deliveries", int(deadLetter)}}})
	}
	r.fields = append(r.fields, kv{"encryption", true})
	return deadLetter > 0
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// memoryMB reads a Cloud Run functions memory setting: 256M, 256Mi, 1G, 1Gi.
func memoryMB(s string) (int, bool) {
	num := strings.TrimRight(s, "MGiB")
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 {
		return 0, false
	}
	if strings.HasPrefix(s[len(num):], "G") {
		n *= 1024
	}
	return n, true
}

// gcfReservedEnv are environment variables a blueprint function cannot
// set on GCP (the platform sets them, or every cloud reserves the prefix).
func gcfReservedEnv(k string) bool {
	for _, p := range []string{"X_GOOGLE_", "K_", "FUNCTIONS_", "AWS_", "LAMBDA_", "_HANDLER", "_X_AMZN_", "WEBSITE_", "AZUREWEBJOBS", "SCM_", "APPLICATIONINSIGHTS_", "APPINSIGHTS_"} {
		if strings.HasPrefix(strings.ToUpper(k), p) {
			return true
		}
	}
	switch strings.ToUpper(k) {
	case "PORT", "FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE":
		return true
	}
	return false
}

// sourceBucket is the bucket skyform's function module names for a
// function: its name (google spelt ggl, no goog start), "-src-" and a hash
// of project and name.
func sourceBucket(project, name string) string {
	b := strings.ReplaceAll(name, "google", "ggl")
	if strings.HasPrefix(b, "goog") {
		b = "gg" + strings.TrimPrefix(b, "goog")
	}
	sum := sha1.Sum([]byte(project + "/" + name))
	return b + "-src-" + hex.EncodeToString(sum[:])[:8]
}

// accountID is the stem skyform's modules give a resource's service
// accounts: the name, or for a long one its start and a hash, so that the
// longest suffix still fits 30 characters.
func accountID(name string, keep int) string {
	if len(name) <= keep {
		return name
	}
	sum := sha1.Sum([]byte(name))
	return name[:keep-7] + "-" + hex.EncodeToString(sum[:])[:6]
}

// packageHash is the SHA-256 the compiler will give the function's code
// as skyform packages it, which names the uploaded object.
func packageHash(files map[string][]byte) (string, error) {
	dir, err := os.MkdirTemp("", "skyform-import-code-*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	for p, data := range files {
		fp := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(fp), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(fp, data, 0o644); err != nil {
			return "", err
		}
	}
	z, err := pack.Zip(dir)
	if err != nil {
		return "", err
	}
	return z.SHA256Hex, nil
}

func (g *gcpImport) buildFunction(f *gcpFunction, called map[*cloudscheduler.Job]bool) error {
	fn := f.fn
	fname := last(fn.Name)
	what := "cloud function " + fname
	if fn.Environment != "GEN_2" {
		g.res.unsupported(nil, what, "it is a 1st gen function; skyform deploys Cloud Run functions (2nd gen), and upgrading one replaces it")
		return nil
	}
	rt, ok := gcfRuntime(fn)
	if !ok {
		g.res.unsupported(nil, what, "its runtime %s is none of the blueprint's (python3.12, python3.11, nodejs20, nodejs22, go)", fn.BuildConfig.Runtime)
		return nil
	}
	sc := fn.ServiceConfig
	name, own := g.names.name(fname)
	if !g.keepName(blueprints.KindFunction, what, fname, name) {
		return nil
	}
	r := &Resource{Name: name, Kind: blueprints.KindFunction, CloudName: fname, CloudID: fn.Name, tags: fn.Labels,
		attrs: map[string]string{"id": fn.Name, "name": fname}, env: map[string]string{}, files: f.files}
	r.fields = append(r.fields, kv{"runtime", string(rt)}, kv{"source", "./functions/" + name})
	entry := fn.BuildConfig.EntryPoint
	module := "main"
	if rt == blueprints.NodeJS20 || rt == blueprints.NodeJS22 {
		module = "index"
	}
	if entry != "" && rt != blueprints.Go {
		r.fields = append(r.fields, kv{"handler", module + "." + entry})
	} else if entry != "" && entry != "handler" {
		r.fields = append(r.fields, kv{"handler", "main." + entry})
	}
	mb, ok := memoryMB(sc.AvailableMemory)
	if !ok {
		mb = 256
		g.res.warn(r, what, "memory %q cannot be read; the blueprint says 256 MB", sc.AvailableMemory)
	}
	r.fields = append(r.fields, kv{"memory_mb", mb})
	timeout := int(sc.TimeoutSeconds)
	if timeout == 0 {
		timeout = 60
	}
	r.fields = append(r.fields, kv{"timeout", duration(timeout)})
	if sc.MaxInstanceCount > 0 {
		r.fields = append(r.fields, kv{"concurrency", int(sc.MaxInstanceCount)})
	}
	if sc.MaxInstanceRequestConcurrency > 1 {
		g.res.warn(r, what, "each instance serves %d requests at once; skyform's function serves one at a time, as on the other clouds, so applying sets 1", sc.MaxInstanceRequestConcurrency)
	}
	if sc.MinInstanceCount > 0 {
		g.res.warn(r, what, "it keeps %d instances warm; skyform's function scales to zero, so applying sets the minimum to 0", sc.MinInstanceCount)
	}
	for k, v := range sc.EnvironmentVariables {
		if gcfReservedEnv(k) {
			g.res.unsupported(r, what+" environment "+k, "a blueprint function cannot set %s (the platform sets it or the name is reserved), so applying removes it", k)
			continue
		}
		r.env[k] = v
	}
	if len(sc.SecretEnvironmentVariables) > 0 || len(sc.SecretVolumes) > 0 {
		g.res.unsupported(r, what, "its Secret Manager environment variables and volumes have no blueprint field, and applying removes them")
	}
	if !own {
		r.overrides = append(r.overrides, kv{"name", fname})
	}
	if sc.IngressSettings != "" && sc.IngressSettings != gcpIngress {
		r.overrides = append(r.overrides, kv{"ingress_settings", sc.IngressSettings})
	}
	r.Imports = append(r.Imports, compiler.Import{To: "google_cloudfunctions2_function.this", ID: fn.Name})

	// Runtime identity: skyform's is "<account>-fn".
	acct := accountID(fname, 23)
	fnSA := g.account(acct + "-fn")
	skyformSA := sc.ServiceAccountEmail == fnSA
	if skyformSA {
		r.Imports = append(r.Imports, compiler.Import{To: "google_service_account.function", ID: g.accountName(fnSA)})
	} else {
		g.res.warn(r, what, "runs as %s, not skyform's %s: applying creates that account, with exactly the access the blueprint's wiring needs, and switches the function to it", sc.ServiceAccountEmail, fnSA)
	}

	// Source: the bucket skyform's module names, and the object named
	// after the package's hash when the code skyform packages is that one.
	if fn.BuildConfig.Source != nil && fn.BuildConfig.Source.StorageSource != nil {
		ss := fn.BuildConfig.Source.StorageSource
		if want := sourceBucket(g.project, fname); ss.Bucket == want {
			r.Imports = append(r.Imports, compiler.Import{To: "google_storage_bucket.source", ID: g.project + "/" + ss.Bucket})
			sum, err := packageHash(f.files)
			if err != nil {
				return fmt.Errorf("cannot package the code of %s: %w", what, err)
			}
			if ss.Object == sum+".zip" {
				r.Imports = append(r.Imports, compiler.Import{To: "google_storage_bucket_object.source", ID: ss.Bucket + "/" + ss.Object})
			} else {
				g.res.warn(r, what, "its source object %s is not skyform's package of the same code (%s.zip); applying uploads that and redeploys the function", ss.Object, sum)
			}
		} else {
			g.res.warn(r, what, "its source is in the bucket %s, not skyform's %s; applying creates that bucket, uploads the code and redeploys the function", ss.Bucket, want)
		}
	}

	// Triggers. A function without an Eventarc trigger is called over
	// HTTPS; its own push subscriptions make it queue-triggered instead.
	svc := sc.Service
	if err := g.schedules(f, r, fname, acct, svc, called); err != nil {
		return err
	}
	scheduled := len(r.triggers) > 0
	public := g.granted(svc, gcpInvoker, "allUsers", "")
	if fn.EventTrigger != nil {
		et := fn.EventTrigger
		if et.PubsubTopic != "" && et.EventType == "google.cloud.pubsub.topic.v1.messagePublished" {
			r.triggers = append(r.triggers, trigger{queueARN: et.PubsubTopic, batch: 1, mappingID: "eventarc:" + et.Trigger, what: what + " event trigger"})
		} else {
			g.res.unsupported(r, what+" event trigger", "its Eventarc trigger on %s has no blueprint trigger (a blueprint function is triggered by queues, HTTP and schedules)", et.EventType)
		}
	}
	if public || fn.EventTrigger == nil && len(f.push) == 0 && !scheduled {
		r.triggers = append(r.triggers, trigger{http: &public})
		if u := firstNonEmpty(fn.Url, sc.Uri); u != "" {
			r.attrs["url"] = u
		}
		if public {
			r.Imports = append(r.Imports, compiler.Import{To: "google_cloud_run_v2_service_iam_member.public[0]", ID: svc + " " + gcpInvoker + " allUsers"})
		}
	}
	pushSA := g.account(acct + "-push")
	pushImported := false
	for _, s := range f.push {
		r.triggers = append(r.triggers, trigger{queueARN: s.Topic, batch: 1, mappingID: s.Name, what: "pubsub subscription " + last(s.Name)})
		if err := g.subscriptionPolicy(s.Name); err != nil {
			return err
		}
		if !pushImported && s.PushConfig.OidcToken != nil && s.PushConfig.OidcToken.ServiceAccountEmail == pushSA {
			pushImported = true
			if err := g.accountPolicy(pushSA); err != nil {
				return err
			}
			r.Imports = append(r.Imports, compiler.Import{To: "google_service_account.push[0]", ID: g.accountName(pushSA)})
			if g.granted(svc, gcpInvoker, "serviceAccount:"+pushSA, "") {
				r.Imports = append(r.Imports, compiler.Import{To: "google_cloud_run_v2_service_iam_member.push[0]", ID: svc + " " + gcpInvoker + " serviceAccount:" + pushSA})
			}
			if g.granted(g.accountName(pushSA), gcpTokenCreator, g.pubsubAgent(), "") {
				r.Imports = append(r.Imports, compiler.Import{To: "google_service_account_iam_member.push_token_creator[0]", ID: g.accountName(pushSA) + " " + gcpTokenCreator + " " + g.pubsubAgent()})
			}
		}
	}
	if len(f.push) > 0 && !pushImported {
		g.res.warn(r, what, "its push subscriptions do not sign with skyform's account %s; applying creates it and signs with it", pushSA)
	}
	prefix := fname
	if strings.HasPrefix(prefix, "goog") {
		prefix = "s-" + prefix
	}
	r.onTrigger = func(q *Resource, sub string) {
		if strings.HasPrefix(sub, "eventarc:") {
			g.res.warn(r, what, "its Eventarc trigger on topic %s becomes a push subscription %s-%s, which applying creates, and the Eventarc trigger is removed: the queue's delivery settings then apply to the function", q.CloudName, prefix, q.Name)
			return
		}
		if last(sub) != prefix+"-"+q.Name {
			g.res.warn(r, "pubsub subscription "+last(sub), "pushes %s to the function, but skyform's push subscription is named %s-%s: applying creates that one, so delete this one or each message arrives twice", q.CloudName, prefix, q.Name)
			return
		}
		r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("google_pubsub_subscription.trigger[%q]", q.Name), ID: sub})
		if g.deadLetter[q] && g.granted(sub, "roles/pubsub.subscriber", g.pubsubAgent(), "") {
			r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("google_pubsub_subscription_iam_member.dead_letter_subscriber[%q]", q.Name), ID: sub + " roles/pubsub.subscriber " + g.pubsubAgent()})
		}
		if pull := g.pull[q]; pull != "" {
			// The queue module makes no pull subscription for a queue a
			// function consumes: it stays, outside the blueprint.
			g.res.unsupported(q, "pubsub subscription "+last(pull), "the function %s consumes the queue through its own push subscription, and skyform makes no pull subscription then; this one stays as it is, outside the blueprint", r.Name)
			var keep []compiler.Import
			for _, im := range q.Imports {
				if im.To != "google_pubsub_subscription.this[0]" && im.To != "google_pubsub_subscription_iam_member.dead_letter_subscriber[0]" {
					keep = append(keep, im)
				}
			}
			q.Imports = keep
			delete(g.pull, q)
		}
	}
	r.onRef = func(t *Resource, attr string) {
		admin := g.admin[t]
		if t.Kind != blueprints.KindDatabase || !skyformSA || admin == "" {
			return
		}
		im := compiler.Import{To: fmt.Sprintf("google_service_account_iam_member.database_token[%q]", t.Name),
			ID: g.accountName(admin) + " " + gcpTokenCreator + " serviceAccount:" + fnSA}
		if g.granted(g.accountName(admin), gcpTokenCreator, "serviceAccount:"+fnSA, "") && !hasImport(r, im) {
			r.Imports = append(r.Imports, im)
		}
	}
	g.res.Resources = append(g.res.Resources, r)
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// buildServices lists the Cloud Run services that do not run an imported
// function: a blueprint function is built from source, not an image.
func (g *gcpImport) buildServices() {
	ofFunction := map[string]bool{}
	for _, f := range g.fns {
		if f.fn.ServiceConfig != nil {
			ofFunction[f.fn.ServiceConfig.Service] = true
		}
	}
	for _, s := range g.services {
		if ofFunction[s.Name] || !g.opts.keep(last(s.Name), s.Labels) {
			continue
		}
		if _, isFn := s.Labels["goog-managed-by"]; isFn && s.Labels["goog-managed-by"] == "cloudfunctions" {
			continue
		}
		image := ""
		if s.Template != nil && len(s.Template.Containers) > 0 {
			image = s.Template.Containers[0].Image
		}
		g.res.unsupported(nil, "cloud run service "+last(s.Name), "it runs the container image %s, and a blueprint function is built from a source directory", image)
	}
}

// gcpTierVCPU reads the vCPUs and memory of a Cloud SQL tier:
// db-custom-<vCPUs>-<MiB>, db-<family>-<class>-<vCPUs>, the shared cores.
func gcpTierVCPU(tier string) (int, float64) {
	parts := strings.Split(tier, "-")
	switch {
	case len(parts) == 4 && parts[1] == "custom":
		v, _ := strconv.Atoi(parts[2])
		m, _ := strconv.Atoi(parts[3])
		return v, float64(m) / 1024
	case tier == "db-f1-micro":
		return 1, 0.6
	case tier == "db-g1-small":
		return 1, 1.7
	case len(parts) == 4:
		v, _ := strconv.Atoi(parts[3])
		per := 3.75
		switch parts[2] {
		case "highmem":
			per = 6.5
		case "highcpu":
			per = 0.9
		}
		return v, per * float64(v)
	}
	return 2, 4
}

// gcpMachineVCPU reads the vCPUs and memory of a Compute Engine machine
// type (e2-standard-4, n2-highmem-8, e2-custom-4-8192).
func gcpMachineVCPU(mt string) (int, float64) {
	parts := strings.Split(mt, "-")
	if len(parts) == 4 && parts[1] == "custom" {
		v, _ := strconv.Atoi(parts[2])
		m, _ := strconv.Atoi(parts[3])
		return v, float64(m) / 1024
	}
	if len(parts) == 3 {
		v, err := strconv.Atoi(parts[2])
		if err == nil {
			per := 4.0
			switch parts[1] {
			case "highmem":
				per = 8
			case "highcpu":
				per = 1
			}
			return v, per * float64(v)
		}
	}
	return 4, 16
}

// gcpNearestSize picks the size whose type is typ, else the nearest in
// vCPUs, then memory (the smaller on a tie); exact is false then.
func gcpNearestSize(kind blueprints.Kind, typ string, vcpu int, mem float64) (blueprints.Size, providers.SizeMapping, bool) {
	var best providers.SizeMapping
	found := false
	dist := func(m providers.SizeMapping) (int, float64) {
		d := m.MemoryGiB - mem
		if d < 0 {
			d = -d
		}
		return abs(m.VCPU - vcpu), d
	}
	for _, m := range (&gcpcloud.Cloud{}).Sizes() {
		if m.Kind != kind {
			continue
		}
		if m.Type == typ {
			return m.Size, m, true
		}
		if !found {
			best, found = m, true
			continue
		}
		dv, dm := dist(m)
		bv, bm := dist(best)
		if dv < bv || dv == bv && dm < bm {
			best = m
		}
	}
	return best.Size, best, false
}

var gcpSQLVersion = regexp.MustCompile(`^(POSTGRES|MYSQL)_(\d+)(?:_(\d+))?$`)

// gcpSystemDatabases are the databases Cloud SQL makes on every instance.
var gcpSystemDatabases = map[string]bool{"postgres": true, "cloudsqladmin": true, "mysql": true, "information_schema": true, "performance_schema": true, "sys": true}

func (g *gcpImport) buildDatabase(d *gcpInstance) error {
	in := d.inst
	st := in.Settings
	id := in.Name
	what := "cloud sql instance " + id
	m := gcpSQLVersion.FindStringSubmatch(in.DatabaseVersion)
	if m == nil {
		g.res.unsupported(nil, what, "its engine %s is neither postgres nor mysql", in.DatabaseVersion)
		return nil
	}
	if in.InstanceType != "" && in.InstanceType != "CLOUD_SQL_INSTANCE" {
		g.res.unsupported(nil, what, "it is a %s, and a blueprint database is a primary instance", strings.ToLower(strings.ReplaceAll(in.InstanceType, "_", " ")))
		return nil
	}
	engine, version := "postgres", m[2]
	if m[1] == "MYSQL" {
		engine = "mysql"
		version = m[2] + "." + m[3]
	}
	name, own := g.names.name(id)
	if !g.keepName(blueprints.KindDatabase, what, id, name) {
		return nil
	}
	r := &Resource{Name: name, Kind: blueprints.KindDatabase, CloudName: id, CloudID: "projects/" + g.project + "/instances/" + id, tags: st.UserLabels,
		attrs: map[string]string{"id": in.ConnectionName}}
	for _, ip := range in.IpAddresses {
		if ip.Type == "PRIVATE" {
			r.attrs["host"] = ip.IpAddress
		}
	}
	r.attrs["port"] = "5432"
	if engine == "mysql" {
		r.attrs["port"] = "3306"
	}
	vcpu, mem := gcpTierVCPU(st.Tier)
	size, sm, exact := gcpNearestSize(blueprints.KindDatabase, st.Tier, vcpu, mem)
	if !exact {
		g.res.warn(r, what, "tier %s is not in the size table; size %s (%s) is the nearest, so applying resizes the instance", st.Tier, size, sm.Type)
	}
	storage := int(st.DataDiskSizeGb)
	if storage < 20 {
		g.res.warn(r, what, "%d GB of storage is below the blueprint's 20; applying grows it to 20", storage)
		storage = 20
	}
	backups := 1
	bc := st.BackupConfiguration
	if bc == nil || !bc.Enabled {
		g.res.warn(r, what, "automated backups are off; the blueprint keeps them at least 1 day, so applying turns them on")
	} else if bc.BackupRetentionSettings != nil && bc.BackupRetentionSettings.RetainedBackups > 0 {
		backups = int(bc.BackupRetentionSettings.RetainedBackups)
	}
	r.fields = append(r.fields, kv{"engine", engine}, kv{"version", version}, kv{"size", string(size)}, kv{"storage_gb", storage},
		kv{"high_availability", st.AvailabilityType == "REGIONAL"}, kv{"backup_retention_days", backups}, kv{"deletion_protection", st.DeletionProtectionEnabled})
	if !own {
		r.overrides = append(r.overrides, kv{"name", id})
	}
	// The module keeps max(days, 2) backups and one day fewer of logs (at
	// most 7); other counts are kept by overrides.
	if bc != nil && bc.Enabled {
		wantBackups := max(backups, 2)
		if logs := int(bc.TransactionLogRetentionDays); logs > 0 && logs != min(wantBackups-1, 7) {
			r.overrides = append(r.overrides, kv{"transaction_log_retention_days", logs})
		}
	}
	if st.Edition == "ENTERPRISE_PLUS" {
		g.res.warn(r, what, "it is an Enterprise Plus instance; skyform's module sets the Enterprise edition, so applying changes the edition")
	}
	if ipc := st.IpConfiguration; ipc != nil {
		if ipc.Ipv4Enabled {
			g.res.warn(r, what, "it has a public IP address; skyform's database is private only, so applying removes it")
		}
		if ipc.PrivateNetwork == "" {
			g.res.warn(r, what, "it has no private address; applying connects it to skyform's network, which the functions and nodes reach")
		}
	}
	// The database: named after the resource (dashes as underscores), else
	// the one the instance has.
	var user []*sqladmin.Database
	for _, db := range d.dbs {
		if !gcpSystemDatabases[db.Name] {
			user = append(user, db)
		}
	}
	want := strings.ReplaceAll(name, "-", "_")
	dbName := ""
	for _, db := range user {
		if db.Name == want {
			dbName = want
		}
	}
	if dbName == "" && len(user) > 0 {
		dbName = user[0].Name
		r.overrides = append(r.overrides, kv{"database_name", dbName})
	}
	for _, db := range user {
		if db.Name != dbName {
			g.res.unsupported(r, what+" database "+db.Name, "a blueprint database has one database on its instance; %s stays, outside the blueprint", db.Name)
		}
	}
	r.Imports = append(r.Imports, compiler.Import{To: "google_sql_database_instance.this", ID: r.CloudID})
	if dbName != "" {
		r.attrs["name"] = dbName
		r.Imports = append(r.Imports, compiler.Import{To: "google_sql_database.this", ID: r.CloudID + "/databases/" + dbName})
	} else {
		g.res.warn(r, what, "it holds no database of its own; applying creates %s", want)
	}
	// The administrator: skyform's IAM service account user "<account>-db".
	adminSA := g.account(accountID(id, 27) + "-db")
	userName := strings.TrimSuffix(adminSA, ".gserviceaccount.com")
	if engine == "mysql" {
		userName = adminSA
	}
	admin := false
	for _, u := range d.users {
		if u.Type == "CLOUD_IAM_SERVICE_ACCOUNT" && (u.Name == userName || u.Name == strings.Split(adminSA, "@")[0]) {
			admin = true
		}
	}
	if admin {
		g.admin[r] = adminSA
		r.attrs["password_secret"] = adminSA
		r.attrs["username"] = userName
		if engine == "mysql" {
			r.attrs["username"] = strings.Split(adminSA, "@")[0]
		}
		if err := g.accountPolicy(adminSA); err != nil {
			return err
		}
		r.Imports = append(r.Imports,
			compiler.Import{To: "google_service_account.admin", ID: g.accountName(adminSA)},
			compiler.Import{To: "google_sql_user.admin", ID: g.project + "/" + id + "/" + userName})
		for _, role := range gcpDBRoles {
			if g.granted("projects/"+g.project, role, "serviceAccount:"+adminSA, "only-"+id) {
				r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("google_project_iam_member.admin[%q]", role), ID: g.project + " " + role + " serviceAccount:" + adminSA + " only-" + id})
			}
		}
	} else {
		g.res.warn(r, what, "it has no IAM administrator %s; applying creates that service account and user, and the blueprint's username and password_secret are theirs (IAM database authentication)", adminSA)
	}
	iamFlag := "cloudsql.iam_authentication"
	if engine == "mysql" {
		iamFlag = "cloudsql_iam_authentication"
	}
	on := false
	for _, f := range st.DatabaseFlags {
		if f.Name == iamFlag && f.Value == "on" {
			on = true
		}
	}
	if !on {
		g.res.warn(r, what, "IAM database authentication (%s) is off; applying turns it on, which skyform's administrator needs", iamFlag)
	}
	g.res.Resources = append(g.res.Resources, r)
	return nil
}

var gkeMinor = regexp.MustCompile(`^(\d+\.\d+)`)

func (g *gcpImport) buildCluster(c *container.Cluster) {
	cname := c.Name
	what := "gke cluster " + cname
	if c.Autopilot != nil && c.Autopilot.Enabled {
		g.res.unsupported(nil, what, "it is an Autopilot cluster, and skyform's is a Standard cluster with node pools")
		return
	}
	if c.Location != g.opts.Region {
		g.res.unsupported(nil, what, "it is a zonal cluster (%s); skyform's cluster is regional, and the location of a cluster cannot change", c.Location)
		return
	}
	version := gkeMinor.FindString(c.CurrentMasterVersion)
	supported := false
	for _, v := range blueprints.KubernetesVersions {
		supported = supported || v == version
	}
	if !supported {
		g.res.unsupported(nil, what, "Kubernetes %s is none of the blueprint's (%s)", c.CurrentMasterVersion, strings.Join(blueprints.KubernetesVersions, ", "))
		return
	}
	name, own := g.names.name(cname)
	if !g.keepName(blueprints.KindCluster, what, cname, name) {
		return
	}
	id := "projects/" + g.project + "/locations/" + c.Location + "/clusters/" + cname
	r := &Resource{Name: name, Kind: blueprints.KindCluster, CloudName: cname, CloudID: id, tags: c.ResourceLabels,
		attrs: map[string]string{"id": id, "name": cname, "endpoint": "https://" + c.Endpoint}}
	pc := c.PrivateClusterConfig
	private := pc != nil && pc.EnablePrivateEndpoint
	if pc == nil || !pc.EnablePrivateNodes {
		g.res.warn(r, what, "its nodes have public addresses; skyform's nodes are private, and GKE replaces node pools to change that")
	}
	r.fields = append(r.fields, kv{"kubernetes", version}, kv{"private_endpoint", private})
	if !own {
		r.overrides = append(r.overrides, kv{"name", cname})
	}
	if c.ReleaseChannel != nil {
		if ch := c.ReleaseChannel.Channel; ch != "" && ch != "UNSPECIFIED" && ch != gcpReleaseChannel {
			r.overrides = append(r.overrides, kv{"release_channel", ch})
		}
	}
	r.Imports = append(r.Imports, compiler.Import{To: "google_container_cluster.this", ID: id})
	nodeSA := g.account(accountID(cname, 24) + "-nodes")
	var pools []kv
	accounts := map[string]bool{}
	disks := map[int64]bool{}
	zones := len(c.Locations)
	if zones == 0 {
		zones = 3
	}
	for _, np := range c.NodePools {
		pool := np.Name
		if !regexp.MustCompile(`^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$`).MatchString(pool) {
			g.res.unsupported(r, "gke node pool "+pool, "skyform's pool names are 1 to 40 lower-case letters, digits or dashes, and a pool cannot be renamed")
			continue
		}
		cfg := np.Config
		if cfg == nil {
			cfg = &container.NodeConfig{}
		}
		vcpu, mem := gcpMachineVCPU(cfg.MachineType)
		size, sm, exact := gcpNearestSize(blueprints.KindCluster, cfg.MachineType, vcpu, mem)
		if !exact {
			g.res.warn(r, "gke node pool "+pool, "machine type %s is not in the size table; size %s (%s) is the nearest, so applying replaces the nodes", cfg.MachineType, size, sm.Type)
		}
		min, max := int(np.InitialNodeCount)*zones, int(np.InitialNodeCount)*zones
		switch a := np.Autoscaling; {
		case a != nil && a.Enabled && (a.TotalMinNodeCount > 0 || a.TotalMaxNodeCount > 0):
			min, max = int(a.TotalMinNodeCount), int(a.TotalMaxNodeCount)
		case a != nil && a.Enabled:
			min, max = int(a.MinNodeCount)*zones, int(a.MaxNodeCount)*zones
			g.res.warn(r, "gke node pool "+pool, "it scales %d to %d nodes in each of %d zones; skyform's pool scales the whole pool, %d to %d nodes", a.MinNodeCount, a.MaxNodeCount, zones, min, max)
		default:
			g.res.warn(r, "gke node pool "+pool, "it does not autoscale; skyform's pool autoscales between min and max, both %d here", max)
		}
		if max < 1 {
			max = 1
		}
		fields := []kv{{"size", string(size)}, {"min", min}, {"max", max}}
		if cfg.Spot || cfg.Preemptible {
			fields = append(fields, kv{"spot", true})
			if cfg.Preemptible && !cfg.Spot {
				g.res.warn(r, "gke node pool "+pool, "its nodes are preemptible VMs; skyform's are Spot VMs, so applying replaces the nodes")
			}
		}
		pools = append(pools, kv{pool, fields})
		r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("google_container_node_pool.this[%q]", pool), ID: g.project + "/" + c.Location + "/" + cname + "/" + pool})
		accounts[cfg.ServiceAccount] = true
		if cfg.DiskSizeGb > 0 {
			disks[cfg.DiskSizeGb] = true
		}
	}
	if len(pools) == 0 {
		g.res.unsupported(r, what, "it has no node pool skyform can keep, and a blueprint cluster has at least one")
		g.names.used[name] = false
		return
	}
	r.fields = append(r.fields, kv{"node_pools", pools})
	if len(disks) == 1 {
		for d := range disks {
			if d != gcpNodeDiskGB {
				r.overrides = append(r.overrides, kv{"node_disk_size_gb", int(d)})
			}
		}
	} else if len(disks) > 1 {
		g.res.warn(r, what, "its node pools have boot disks of different sizes; skyform's pools share one size, %d GB, so applying replaces the nodes of the others", gcpNodeDiskGB)
	}
	if len(accounts) == 1 && accounts[nodeSA] {
		r.Imports = append(r.Imports, compiler.Import{To: "google_service_account.nodes", ID: g.accountName(nodeSA)})
		for _, role := range gcpNodeRoles {
			if g.granted("projects/"+g.project, role, "serviceAccount:"+nodeSA, "") {
				r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("google_project_iam_member.nodes[%q]", role), ID: g.project + " " + role + " serviceAccount:" + nodeSA})
			}
		}
	} else {
		var as []string
		for a := range accounts {
			if a == "" {
				a = "the Compute Engine default account"
			}
			as = append(as, a)
		}
		sort.Strings(as)
		g.res.warn(r, what, "its nodes run as %s, not skyform's %s; applying creates that account and replaces the node pools", strings.Join(as, ", "), nodeSA)
	}
	g.res.Resources = append(g.res.Resources, r)
}
