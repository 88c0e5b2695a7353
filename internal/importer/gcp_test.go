package importer

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/internal/fakecloud"
	cloudfunctions "google.golang.org/api/cloudfunctions/v2"
	cloudscheduler "google.golang.org/api/cloudscheduler/v1"
	container "google.golang.org/api/container/v1"
	pubsub "google.golang.org/api/pubsub/v1"
	sqladmin "google.golang.org/api/sqladmin/v1"
)

func gcpExample(t *testing.T) *fakecloud.Inventory {
	return loadInventory(t, filepath.Join("..", "..", "examples", "imported-gcp", "inventory.json"))
}

func importGCP(t *testing.T, srv *fakecloud.Server, project string, opts Options) (*Result, error) {
	t.Helper()
	return ImportGCP(context.Background(), GCPConfig{Project: project, Endpoint: srv.URL, HTTP: srv.Client(), Download: srv.Client()}, opts)
}

// TestImportGCPExample regenerates examples/imported-gcp from its
// inventory (every list paged one item a page, each list answered once
// with 429 RESOURCE_EXHAUSTED) and compares every file; the blueprint must
// parse without errors.
func TestImportGCPExample(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "imported-gcp")
	inv := gcpExample(t)
	srv := fakeAWS(t, inv)
	res, err := importGCP(t, srv, "shop-prod", Options{Region: "europe-west1", Prefix: "shop-"})
	if err != nil {
		t.Fatal(err)
	}
	files, err := res.Files("skyform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	count := map[string]int{}
	for _, c := range calls {
		count[c]++
	}
	for _, op := range inv.ThrottleOnce {
		// Throttled once and retried; the paged lists page too.
		if count[op] < 2 {
			t.Errorf("%s called %d times, want the throttled call retried: %v", op, count[op], calls)
		}
	}
	for _, op := range []string{"pubsub.topics.list", "pubsub.subscriptions.list", "cloudsql.instances.list", "cloudfunctions.functions.list"} {
		// Five topics, eight subscriptions, three instances, three functions
		// one a page, plus the retry.
		if count[op] < 4 {
			t.Errorf("%s called %d times, want one call a page", op, count[op])
		}
	}
	wantExample(t, dir, files)
	bp, ds := blueprints.Parse(filepath.Join(dir, "skyform.yaml"), files["skyform.yaml"])
	if ds.HasErrors() {
		t.Fatalf("the imported blueprint does not parse: %v", ds)
	}
	if bp.Name != "shop" {
		t.Errorf("blueprint name %q, want shop (from the skyform-blueprint label)", bp.Name)
	}
}

// TestImportGCPReferences checks the wiring: the push subscription is a
// queue trigger, environment values are references, and the grants the
// policies hold are imported under the module's addresses.
func TestImportGCPReferences(t *testing.T) {
	srv := fakeAWS(t, gcpExample(t))
	res, err := importGCP(t, srv, "shop-prod", Options{Region: "europe-west1", Prefix: "shop-"})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Resource{}
	for _, r := range res.Resources {
		byName[r.Name] = r
	}
	fn := byName["process-order"]
	if fn == nil {
		t.Fatal("no process-order function")
	}
	got := map[string]any{}
	for _, f := range fn.fields {
		got[f.Key] = f.Value
	}
	wantEnv := []kv{
		{"DB_HOST", "${orders-db.host}"}, {"DB_NAME", "${orders-db.name}"}, {"DB_PASSWORD_SECRET", "${orders-db.password_secret}"},
		{"DB_PORT", "${orders-db.port}"}, {"DB_USER", "${orders-db.username}"}, {"EVENTS_TOPIC", "${events.id}"}, {"GREETING", "hello $${name}"},
		{"LOG_EXECUTION_ID", "true"}, {"THUMBNAILER_URL", "${thumbnailer.url}"},
	}
	if d := cmp.Diff(wantEnv, got["env"], cmp.AllowUnexported(kv{})); d != "" {
		t.Errorf("env (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]any{[]kv{{"queue", "orders"}, {"batch_size", 1}}}, got["triggers"], cmp.AllowUnexported(kv{})); d != "" {
		t.Errorf("triggers (-want +got):\n%s", d)
	}
	imports := func(r *Resource) []string {
		var tos []string
		for _, im := range r.Imports {
			tos = append(tos, im.To+" "+im.ID)
		}
		sort.Strings(tos)
		return tos
	}
	loc := "projects/shop-prod/locations/europe-west1"
	agent := "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com"
	want := []string{
		"google_cloud_run_v2_service_iam_member.push[0] " + loc + "/services/shop-process-order roles/run.invoker serviceAccount:shop-process-order-push@shop-prod.iam.gserviceaccount.com",
		"google_cloudfunctions2_function.this " + loc + "/functions/shop-process-order",
		`google_pubsub_subscription.trigger["orders"] projects/shop-prod/subscriptions/shop-process-order-orders`,
		`google_pubsub_subscription_iam_member.dead_letter_subscriber["orders"] projects/shop-prod/subscriptions/shop-process-order-orders roles/pubsub.subscriber ` + agent,
		"google_service_account.function projects/shop-prod/serviceAccounts/shop-process-order-fn@shop-prod.iam.gserviceaccount.com",
		"google_service_account.push[0] projects/shop-prod/serviceAccounts/shop-process-order-push@shop-prod.iam.gserviceaccount.com",
		`google_service_account_iam_member.database_token["orders-db"] projects/shop-prod/serviceAccounts/shop-orders-db-db@shop-prod.iam.gserviceaccount.com roles/iam.serviceAccountTokenCreator serviceAccount:shop-process-order-fn@shop-prod.iam.gserviceaccount.com`,
		"google_service_account_iam_member.push_token_creator[0] projects/shop-prod/serviceAccounts/shop-process-order-push@shop-prod.iam.gserviceaccount.com roles/iam.serviceAccountTokenCreator " + agent,
		"google_storage_bucket.source shop-prod/shop-process-order-src-0ac46543",
		"google_storage_bucket_object.source shop-process-order-src-0ac46543/ff9acab0ac7578099371b80d23f569f0d80a763278fde0e2e423795cac209971.zip",
	}
	if d := cmp.Diff(want, imports(fn)); d != "" {
		t.Errorf("process-order imports (-want +got):\n%s", d)
	}
	// The queue a function consumes has no pull subscription of skyform's.
	wantOrders := []string{
		"google_pubsub_subscription.dead_letter[0] projects/shop-prod/subscriptions/shop-orders-dlq",
		"google_pubsub_topic.dead_letter[0] projects/shop-prod/topics/shop-orders-dlq",
		"google_pubsub_topic.this projects/shop-prod/topics/shop-orders",
		"google_pubsub_topic_iam_member.dead_letter_publisher[0] projects/shop-prod/topics/shop-orders-dlq roles/pubsub.publisher " + agent,
	}
	if d := cmp.Diff(wantOrders, imports(byName["orders"])); d != "" {
		t.Errorf("orders imports (-want +got):\n%s", d)
	}
	wantDB := []string{
		`google_project_iam_member.admin["roles/cloudsql.client"] shop-prod roles/cloudsql.client serviceAccount:shop-orders-db-db@shop-prod.iam.gserviceaccount.com only-shop-orders-db`,
		`google_project_iam_member.admin["roles/cloudsql.instanceUser"] shop-prod roles/cloudsql.instanceUser serviceAccount:shop-orders-db-db@shop-prod.iam.gserviceaccount.com only-shop-orders-db`,
		"google_service_account.admin projects/shop-prod/serviceAccounts/shop-orders-db-db@shop-prod.iam.gserviceaccount.com",
		"google_sql_database.this projects/shop-prod/instances/shop-orders-db/databases/orders_db",
		"google_sql_database_instance.this projects/shop-prod/instances/shop-orders-db",
		"google_sql_user.admin shop-prod/shop-orders-db/shop-orders-db-db@shop-prod.iam",
	}
	if d := cmp.Diff(wantDB, imports(byName["orders-db"])); d != "" {
		t.Errorf("orders-db imports (-want +got):\n%s", d)
	}
	if got := imports(byName["platform"]); len(got) != 9 || got[0] != "google_container_cluster.this projects/shop-prod/locations/europe-west1/clusters/shop-platform" ||
		got[1] != `google_container_node_pool.this["batch"] shop-prod/europe-west1/shop-platform/batch` {
		t.Errorf("platform imports: %q", got)
	}
}

// TestImportGCPFilters: --tag keeps what carries the label, --prefix what
// is named so; the unsupported are reported, never dropped.
func TestImportGCPFilters(t *testing.T) {
	srv := fakeAWS(t, gcpExample(t))
	for name, tc := range map[string]struct {
		opts        Options
		want        []string
		unsupported []string
	}{
		"billing label": {
			opts: Options{Region: "europe-west1", Tags: map[string]string{"team": "billing"}, Name: "billing"},
			want: []string{"jobs"},
		},
		"prefix": {
			opts: Options{Region: "europe-west1", Prefix: "shop-orders"},
			want: []string{"orders", "orders-db"},
			// The function its push subscription feeds is not kept.
			unsupported: []string{"pubsub subscription shop-process-order-orders"},
		},
		"skyform label": {
			opts: Options{Region: "europe-west1", Tags: map[string]string{"skyform-blueprint": "shop"}},
			want: []string{"orders", "orders-db", "platform", "process-order", "thumbnailer"},
		},
		"another region": {
			opts: Options{Region: "us-central1", Prefix: "shop-"},
			// No function there: its push subscription is listed, not dropped.
			want:        []string{"analytics", "audit", "events", "orders"},
			unsupported: []string{"pubsub subscription shop-process-order-orders", "pubsub subscription shop-audit-bigquery"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := importGCP(t, srv, "shop-prod", tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			wantFound(t, res, tc.want, tc.unsupported)
		})
	}
}

// TestImportGCPPermission: a 403 PERMISSION_DENIED names the permission,
// whichever API refuses.
func TestImportGCPPermission(t *testing.T) {
	for _, op := range []string{"resourcemanager.projects.get", "pubsub.subscriptions.list", "pubsub.topics.getIamPolicy", "cloudfunctions.functions.sourceCodeGet",
		"run.services.getIamPolicy", "cloudscheduler.jobs.list", "cloudsql.users.list", "container.clusters.list", "iam.serviceAccounts.getIamPolicy"} {
		t.Run(op, func(t *testing.T) {
			inv := gcpExample(t)
			inv.ThrottleOnce = nil
			inv.Deny = []string{op}
			srv := fakeAWS(t, inv)
			_, err := importGCP(t, srv, "shop-prod", Options{Region: "europe-west1"})
			var pe *PermissionError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a PermissionError", err)
			}
			if pe.Permission != op {
				t.Errorf("permission %q, want %q", pe.Permission, op)
			}
			if !strings.Contains(err.Error(), "missing permission "+op) || !strings.Contains(err.Error(), "Permission '"+op+"' denied") {
				t.Errorf("message %q", err)
			}
		})
	}
}

// TestImportGCPEdges: names skyform did not give are kept with an override
// or listed when its module cannot keep them; what a blueprint lacks is
// listed; sizes off the table are the nearest with a warning; settings the
// modules default otherwise are overrides; the blueprint parses.
func TestImportGCPEdges(t *testing.T) {
	const p = "proj-1"
	T := func(n string) string { return "projects/" + p + "/topics/" + n }
	S := func(n string) string { return "projects/" + p + "/subscriptions/" + n }
	loc := "projects/" + p + "/locations/europe-west1"
	inv := &fakecloud.Inventory{PageSize: 2, GCP: &fakecloud.GCP{Project: p, ProjectNumber: "42",
		Topics: []*pubsub.Topic{
			{Name: T("legacy-orders"), MessageRetentionDuration: "172800s"},
			{Name: T("Legacy_Events")},
			{Name: T("jobs")}, {Name: T("jobs-dlq")}, {Name: T("elsewhere")},
			{Name: T("uploads")},
			{Name: T("short"), MessageRetentionDuration: "172800s"},
		},
		Subscriptions: []*pubsub.Subscription{
			{Name: S("legacy-orders"), Topic: T("legacy-orders"), AckDeadlineSeconds: 600, MessageRetentionDuration: "86400s", Filter: `attributes.kind = "x"`},
			{Name: S("short"), Topic: T("short"), AckDeadlineSeconds: 30, MessageRetentionDuration: "604800s", EnableExactlyOnceDelivery: true, PushConfig: &pubsub.PushConfig{}},
			{Name: S("jobs"), Topic: T("jobs"), AckDeadlineSeconds: 20, MessageRetentionDuration: "604800s",
				DeadLetterPolicy: &pubsub.DeadLetterPolicy{DeadLetterTopic: T("elsewhere"), MaxDeliveryAttempts: 10}},
			{Name: S("eventarc-europe-west1-on-upload-1-sub-311"), Topic: T("uploads"), AckDeadlineSeconds: 600,
				PushConfig: &pubsub.PushConfig{PushEndpoint: "https://on-upload-abc-ew.a.run.app?__GCP_CloudEventsMode=CUSTOM_PUBSUB_projects%2Fproj-1%2Ftopics%2Fuploads"}},
			{Name: S("resize-jobs-old"), Topic: T("jobs"), AckDeadlineSeconds: 20, MessageRetentionDuration: "604800s",
				PushConfig: &pubsub.PushConfig{PushEndpoint: "https://resize-abc-ew.a.run.app"}},
		},
		Functions: []*cloudfunctions.Function{
			{Name: loc + "/functions/resize", Environment: "GEN_2", BuildConfig: &cloudfunctions.BuildConfig{Runtime: "go125", EntryPoint: "Resize",
				Source: &cloudfunctions.Source{StorageSource: &cloudfunctions.StorageSource{Bucket: "gcf-v2-sources-42-europe-west1", Object: "resize/function-source.zip"}}},
				ServiceConfig: &cloudfunctions.ServiceConfig{Service: loc + "/services/resize", Uri: "https://resize-abc-ew.a.run.app", AvailableMemory: "1Gi",
					TimeoutSeconds: 300, MaxInstanceRequestConcurrency: 80, ServiceAccountEmail: "42-compute@developer.gserviceaccount.com", IngressSettings: "ALLOW_INTERNAL_ONLY",
					EnvironmentVariables: map[string]string{"K_CONFIG": "x", "MODE": "fast"}}},
			{Name: loc + "/functions/on-upload", Environment: "GEN_2", BuildConfig: &cloudfunctions.BuildConfig{Runtime: "python311", EntryPoint: "on_upload"},
				ServiceConfig: &cloudfunctions.ServiceConfig{Service: loc + "/services/on-upload", Uri: "https://on-upload-abc-ew.a.run.app", AvailableMemory: "256M", TimeoutSeconds: 60,
					ServiceAccountEmail: "on-upload-fn@" + p + ".iam.gserviceaccount.com"},
				EventTrigger: &cloudfunctions.EventTrigger{EventType: "google.cloud.pubsub.topic.v1.messagePublished", PubsubTopic: T("uploads"), Trigger: loc + "/triggers/on-upload-1"}},
			{Name: loc + "/functions/indexer", Environment: "GEN_2", BuildConfig: &cloudfunctions.BuildConfig{Runtime: "java17", EntryPoint: "Indexer"},
				ServiceConfig: &cloudfunctions.ServiceConfig{Service: loc + "/services/indexer"}},
		},
		FunctionCode: map[string]map[string]string{
			loc + "/functions/resize":    {"go.mod": "module resize\n", "resize.go": "package resize\n"},
			loc + "/functions/on-upload": {"main.py": "def on_upload(event): pass\n"},
		},
		Jobs: []*cloudscheduler.Job{
			{Name: loc + "/jobs/resize-1", Schedule: "every 5 minutes", HttpTarget: &cloudscheduler.HttpTarget{Uri: "https://resize-abc-ew.a.run.app"}},
			{Name: loc + "/jobs/nightly-resize", Schedule: "15 1 * * MON-FRI", TimeZone: "Europe/Paris", HttpTarget: &cloudscheduler.HttpTarget{Uri: "https://resize-abc-ew.a.run.app/"}},
		},
		Instances: []*sqladmin.DatabaseInstance{
			{Name: "legacy-db", Region: "europe-west1", DatabaseVersion: "MYSQL_8_0", IpAddresses: []*sqladmin.IpMapping{{Type: "PRIMARY", IpAddress: "34.1.2.3"}},
				Settings: &sqladmin.Settings{Tier: "db-n1-standard-8", DataDiskSizeGb: 10, AvailabilityType: "REGIONAL", Edition: "ENTERPRISE_PLUS",
					BackupConfiguration: &sqladmin.BackupConfiguration{Enabled: true, TransactionLogRetentionDays: 3, BackupRetentionSettings: &sqladmin.BackupRetentionSettings{RetainedBackups: 14}},
					IpConfiguration:     &sqladmin.IpConfiguration{Ipv4Enabled: true}}},
			{Name: "replica-db", Region: "europe-west1", DatabaseVersion: "POSTGRES_16", InstanceType: "READ_REPLICA_INSTANCE", Settings: &sqladmin.Settings{Tier: "db-custom-2-4096"}},
			{Name: "tiny-db", Region: "europe-west1", DatabaseVersion: "POSTGRES_15", Settings: &sqladmin.Settings{Tier: "db-f1-micro", DataDiskSizeGb: 20}},
		},
		Databases: map[string][]*sqladmin.Database{"legacy-db": {{Name: "mysql"}, {Name: "app"}, {Name: "audit"}}},
		Clusters: []*container.Cluster{
			{Name: "old", Location: "europe-west1", CurrentMasterVersion: "1.27.3-gke.100"},
			{Name: "auto", Location: "europe-west1", CurrentMasterVersion: "1.32.1-gke.1", Autopilot: &container.Autopilot{Enabled: true}},
			{Name: "k8s", Location: "europe-west1", Locations: []string{"europe-west1-b", "europe-west1-c"}, CurrentMasterVersion: "1.33.0-gke.1",
				ReleaseChannel: &container.ReleaseChannel{Channel: "REGULAR"}, PrivateClusterConfig: &container.PrivateClusterConfig{EnablePrivateNodes: true, EnablePrivateEndpoint: true},
				NodePools: []*container.NodePool{
					{Name: "general", Autoscaling: &container.NodePoolAutoscaling{Enabled: true, MinNodeCount: 1, MaxNodeCount: 4},
						Config: &container.NodeConfig{MachineType: "n2-highmem-8", DiskSizeGb: 200, Preemptible: true}},
					{Name: "Bad_Pool", Config: &container.NodeConfig{MachineType: "e2-standard-2"}},
				}},
		},
	}}
	srv := fakeAWS(t, inv)
	res, err := importGCP(t, srv, p, Options{Region: "europe-west1", Name: "app"})
	if err != nil {
		t.Fatal(err)
	}
	var names, unsupported, warnings []string
	for _, r := range res.Resources {
		names = append(names, r.Name)
	}
	for _, u := range res.Unsupported {
		unsupported = append(unsupported, u.Resource+": "+u.Message)
	}
	for _, w := range res.Warnings {
		warnings = append(warnings, w.Resource+": "+w.Message)
	}
	if d := cmp.Diff([]string{"elsewhere", "jobs", "jobs-dlq", "k8s", "legacy-db", "legacy-orders", "on-upload", "resize", "short", "tiny-db", "uploads"}, names); d != "" {
		t.Errorf("resources (-want +got):\n%s", d)
	}
	has := func(list []string, want string) bool {
		for _, s := range list {
			if strings.HasPrefix(s, want) {
				return true
			}
		}
		return false
	}
	for _, want := range []string{
		"pubsub topic Legacy_Events: skyform's queue module cannot keep the name Legacy_Events",
		`pubsub subscription legacy-orders: its filter "attributes.kind = \"x\"" has no blueprint field`,
		"pubsub subscription jobs: its dead-letter topic projects/proj-1/topics/elsewhere is not the one skyform manages (named jobs-dlq",
		"cloud function resize environment K_CONFIG: a blueprint function cannot set K_CONFIG",
		"cloud function indexer: its runtime java17 is none of the blueprint's",
		"cloud sql instance legacy-db database audit: a blueprint database has one database on its instance",
		"cloud sql instance replica-db: it is a read replica instance",
		"gke cluster old: Kubernetes 1.27.3-gke.100 is none of the blueprint's",
		"gke cluster auto: it is an Autopilot cluster",
		"gke node pool Bad_Pool: skyform's pool names are 1 to 40",
		"pubsub subscription eventarc-europe-west1-on-upload-1-sub-311: it is the subscription of an Eventarc trigger",
		`cloud scheduler job resize-1: its schedule "every 5 minutes" is not a cron schedule a blueprint reads`,
	} {
		if !has(unsupported, want) {
			t.Errorf("no unsupported %q in\n%s", want, strings.Join(unsupported, "\n"))
		}
	}
	for _, want := range []string{
		"pubsub subscription resize-jobs-old: pushes jobs to the function, but skyform's push subscription is named resize-jobs",
		"cloud function on-upload: its Eventarc trigger on topic uploads becomes a push subscription on-upload-uploads",
		"cloud function resize: each instance serves 80 requests at once",
		"cloud function resize: runs as 42-compute@developer.gserviceaccount.com, not skyform's resize-fn@proj-1.iam.gserviceaccount.com",
		"cloud function resize: its source is in the bucket gcf-v2-sources-42-europe-west1, not skyform's resize-src-",
		"cloud sql instance legacy-db: tier db-n1-standard-8 is not in the size table; size xlarge (db-custom-8-32768) is the nearest",
		"cloud sql instance legacy-db: 10 GB of storage is below the blueprint's 20",
		"cloud sql instance legacy-db: it is an Enterprise Plus instance",
		"cloud sql instance legacy-db: it has a public IP address",
		"cloud sql instance legacy-db: it has no IAM administrator legacy-db-db@proj-1.iam.gserviceaccount.com",
		"cloud sql instance tiny-db: tier db-f1-micro is not in the size table; size small (db-custom-2-4096) is the nearest",
		"cloud sql instance tiny-db: automated backups are off",
		"gke node pool general: machine type n2-highmem-8 is not in the size table; size large (e2-standard-8) is the nearest",
		"gke node pool general: it scales 1 to 4 nodes in each of 2 zones; skyform's pool scales the whole pool, 2 to 8 nodes",
		"gke node pool general: its nodes are preemptible VMs",
		"pubsub subscription short: exactly-once delivery is on; skyform's queue module turns it on exactly for ordered (fifo) queues, so applying turns it off",
		"cloud scheduler job nightly-resize: calls the function, but skyform's job for this schedule is named resize-1",
		"cloud scheduler job nightly-resize: does not call as skyform's account resize-sched@proj-1.iam.gserviceaccount.com",
		"gke cluster k8s: its nodes run as the Compute Engine default account, not skyform's k8s-nodes@proj-1.iam.gserviceaccount.com",
	} {
		if !has(warnings, want) {
			t.Errorf("no warning %q in\n%s", want, strings.Join(warnings, "\n"))
		}
	}
	dir := t.TempDir()
	files, err := res.Files(filepath.ToSlash(filepath.Join(dir, "skyform.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range files {
		os.MkdirAll(filepath.Dir(filepath.FromSlash(p)), 0o755)
		os.WriteFile(filepath.FromSlash(p), data, 0o644)
	}
	bp := files[filepath.ToSlash(filepath.Join(dir, "skyform.yaml"))]
	parsed, ds := blueprints.Parse(filepath.Join(dir, "skyform.yaml"), bp)
	if ds.HasErrors() {
		t.Fatalf("does not parse: %v\n%s", ds, bp)
	}
	// The overrides are variables of skyform's modules, the import file's
	// addresses are valid: the blueprint compiles with its imports.
	if _, ds, err := compiler.New().Compile(parsed, ""); err != nil || ds.HasErrors() {
		t.Fatalf("does not compile: %v %v", err, ds)
	}
	for _, want := range []string{
		"  legacy-orders:\n    kind: queue\n    ordering: standard\n    visibility_timeout: 10m\n    retention: 1d\n",
		"      gcp:\n        name: legacy-orders\n        topic_message_retention_seconds: 172800\n",
		"  short:\n    kind: queue\n    ordering: standard\n    visibility_timeout: 30s\n    retention: 1w\n    encryption: true\n    overrides:\n      gcp:\n        name: short\n        topic_message_retention_seconds: 172800\n",
		"    runtime: go\n    source: ./functions/resize\n    handler: main.Resize\n    memory_mb: 1024\n    timeout: 5m\n",
		"        ingress_settings: ALLOW_INTERNAL_ONLY\n",
		"    triggers:\n      - schedule: 15 1 * * MON-FRI\n        timezone: Europe/Paris\n      - queue: jobs\n        batch_size: 1\n",
		"      MODE: fast\n",
		"    handler: main.on_upload\n    memory_mb: 256\n",
		"      - queue: uploads\n        batch_size: 1\n",
		"    engine: mysql\n    version: \"8.0\"\n    size: xlarge\n    storage_gb: 20\n    high_availability: true\n    backup_retention_days: 14\n    deletion_protection: false\n",
		"        name: legacy-db\n        transaction_log_retention_days: 3\n        database_name: app\n",
		"    kubernetes: \"1.33\"\n    private_endpoint: true\n    node_pools:\n      general:\n        size: large\n        min: 2\n        max: 8\n        spot: true\n",
		"        name: k8s\n        release_channel: REGULAR\n        node_disk_size_gb: 200\n",
		"# - cloud function indexer: its runtime java17",
	} {
		if !strings.Contains(string(bp), want) {
			t.Errorf("blueprint lacks %q:\n%s", want, bp)
		}
	}
	if strings.Contains(string(bp), "K_CONFIG: x") {
		t.Errorf("a reserved environment variable is in the blueprint:\n%s", bp)
	}
}

func TestGCPSizes(t *testing.T) {
	for _, tc := range []struct {
		kind  blueprints.Kind
		typ   string
		want  blueprints.Size
		exact bool
	}{
		{blueprints.KindDatabase, "db-custom-2-4096", blueprints.Small, true},
		{blueprints.KindDatabase, "db-custom-2-7680", blueprints.Medium, false},
		{blueprints.KindDatabase, "db-custom-4-15360", blueprints.Large, false},
		{blueprints.KindDatabase, "db-g1-small", blueprints.Small, false},
		{blueprints.KindDatabase, "db-custom-32-131072", blueprints.XLarge, false},
		{blueprints.KindCluster, "e2-standard-8", blueprints.Large, true},
		{blueprints.KindCluster, "e2-medium", blueprints.Medium, false},
		{blueprints.KindCluster, "n2-standard-2", blueprints.Small, false},
		{blueprints.KindCluster, "c3-highcpu-22", blueprints.XLarge, false},
		{blueprints.KindCluster, "e2-custom-6-12288", blueprints.Medium, false},
	} {
		var v int
		var m float64
		if tc.kind == blueprints.KindDatabase {
			v, m = gcpTierVCPU(tc.typ)
		} else {
			v, m = gcpMachineVCPU(tc.typ)
		}
		size, _, exact := gcpNearestSize(tc.kind, tc.typ, v, m)
		if size != tc.want || exact != tc.exact {
			t.Errorf("%s: %s exact %v, want %s exact %v", tc.typ, size, exact, tc.want, tc.exact)
		}
	}
	for s, want := range map[string]int{"256M": 256, "256Mi": 256, "1G": 1024, "2Gi": 2048, "512Mi": 512} {
		if got, ok := memoryMB(s); !ok || got != want {
			t.Errorf("memory %s: %d, want %d", s, got, want)
		}
	}
	if _, ok := memoryMB("lots"); ok {
		t.Error("memory lots read")
	}
	if got := sourceBucket("shop-prod", "shop-process-order"); got != "shop-process-order-src-0ac46543" {
		t.Errorf("bucket %s", got)
	}
	if got := sourceBucket("p", "googly-fn"); !strings.HasPrefix(got, "ggly-fn-src-") {
		t.Errorf("bucket %s keeps goog", got)
	}
	if got := accountID("a-very-long-function-name-here", 23); len(got) != 23 {
		t.Errorf("account %s is %d long", got, len(got))
	}
}

// TestRetryTransport: 429 and 503 are retried with the body sent again,
// up to the last try; other answers are returned at once.
func TestRetryTransport(t *testing.T) {
	var calls []string
	fail := 2
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		calls = append(calls, r.URL.Path+" "+string(body))
		switch {
		case r.URL.Path == "/missing":
			w.WriteHeader(http.StatusNotFound)
		case r.URL.Path == "/busy" || fail > 0:
			fail--
			code := http.StatusTooManyRequests
			if fail == 0 {
				code = http.StatusServiceUnavailable
			}
			w.WriteHeader(code)
		default:
			io.WriteString(w, "ok")
		}
	}))
	defer srv.Close()
	client := &http.Client{Transport: &retryTransport{base: http.DefaultTransport, pause: time.Millisecond, tries: 4}}
	resp, err := client.Post(srv.URL+"/call", "application/json", strings.NewReader(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || cmp.Diff([]string{`/call {"a":1}`, `/call {"a":1}`, `/call {"a":1}`}, calls) != "" {
		t.Errorf("status %d after %q, want 200 after two retries that send the body again", resp.StatusCode, calls)
	}
	calls = nil
	resp, _ = client.Get(srv.URL + "/missing")
	resp.Body.Close()
	if resp.StatusCode != 404 || len(calls) != 1 {
		t.Errorf("404 retried: %q", calls)
	}
	calls = nil
	resp, _ = client.Get(srv.URL + "/busy")
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable || len(calls) != 4 {
		t.Errorf("status %d after %d calls, want the last answer after 4 tries", resp.StatusCode, len(calls))
	}
}
