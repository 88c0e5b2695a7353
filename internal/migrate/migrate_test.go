package migrate

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/portability"
	"github.com/skyform/skyform/providers"
)

var update = flag.Bool("update", os.Getenv("SKYFORM_UPDATE_GOLDEN") != "", "rewrite golden files")

func load(t *testing.T, file string) *blueprints.Blueprint {
	t.Helper()
	bp, ds, err := blueprints.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if ds.HasErrors() {
		t.Fatalf("blueprint does not parse: %v", ds)
	}
	return bp
}

func build(t *testing.T, bp *blueprints.Blueprint, from, to blueprints.Cloud) *Runbook {
	t.Helper()
	rep, err := portability.Analyze(bp, portability.Options{Clouds: []blueprints.Cloud{to}})
	if err != nil {
		t.Fatal(err)
	}
	fr, _ := providers.Region(bp, from)
	tr, _ := providers.Region(bp, to)
	rb, err := Build(Input{Blueprint: bp, From: from, To: to, Portability: rep, FromRegion: fr, ToRegion: tr})
	if err != nil {
		t.Fatal(err)
	}
	return rb
}

// TestGolden writes the runbook of every single-cloud example to each
// other cloud and compares it with testdata/golden/<example>-<to>.md (the
// plan is the CLI's part: skyform migrate runs it, migrate.txtar checks it).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("../../examples/*/skyform.yaml")
	if err != nil || len(files) < 4 {
		t.Fatalf("want at least four examples, found %d (%v)", len(files), err)
	}
	golden, _ := filepath.Abs(filepath.Join("testdata", "golden"))
	n := 0
	for _, file := range files {
		dir, _ := filepath.Abs(filepath.Dir(file))
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			t.Chdir(dir)
			bp := load(t, "skyform.yaml")
			used := bp.CloudsUsed()
			if len(used) != 1 {
				t.Skipf("%s places resources on %d clouds; migrate refuses it (TestHybridRefused in the CLI)", name, len(used))
			}
			for _, to := range blueprints.Clouds {
				if to == used[0] {
					continue
				}
				n++
				var got bytes.Buffer
				if err := build(t, bp, used[0], to).WriteMarkdown(&got); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join(golden, name+"-"+string(to)+".md")
				if *update {
					if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/migrate -update)", err)
				}
				if d := cmp.Diff(string(want), got.String()); d != "" {
					t.Errorf("runbook %s changed (-want +got):\n%s", filepath.Base(path), d)
				}
			}
		})
	}
}

// parse writes a blueprint with a function source beside it and loads it.
func parse(t *testing.T, src string) *blueprints.Blueprint {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(e, c): pass\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if err := os.WriteFile("app.yaml", []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return load(t, "app.yaml")
}

const estate = `blueprint: shop
cloud: %s
region: us-east
resources:
  jobs: {kind: queue, dead_letter: {max_deliveries: 5}}
  shop-db: {kind: database, engine: %s, version: "%s", size: small, storage_gb: 32}
  api:
    kind: function
    runtime: python3.12
    source: ./fn
    handler: main.handler
    triggers: [{http: {public: true}}]
    env: {DB_HOST: "${shop-db.host}", JOBS: "${jobs.url}"}
  worker:
    kind: function
    runtime: python3.12
    source: ./fn
    handler: main.handler
    triggers: [{queue: jobs}]
  k8s:
    kind: cluster
    kubernetes: "1.31"
    node_pools: {general: {size: medium, min: 1, max: 3}}
`

// TestSteps: the runbook's order, and each cloud's and engine's own
// commands in the steps that need them.
func TestSteps(t *testing.T) {
	tests := []struct {
		from, to        blueprints.Cloud
		engine, version string
		want            []string
		not             []string
	}{
		{blueprints.AWS, blueprints.GCP, "postgres", "16", []string{
			"skyform plan -f app.yaml --cloud gcp -out gcp.plan",
			"skyform apply -f app.yaml gcp.plan",
			`SRC_PWD="$(aws secretsmanager get-secret-value --secret-id $(skyform output -f app.yaml --cloud aws shop-db password_secret) --query SecretString --output text | jq -r .password)"`,
			`DST_PWD="$(gcloud auth print-access-token --impersonate-service-account=$(skyform output -f app.yaml --cloud gcp shop-db password_secret))"`,
			`PGPASSWORD="$SRC_PWD" pg_dump --format=custom --no-owner --no-privileges --dbname "$SRC" --file shop-db.dump`,
			`PGPASSWORD="$DST_PWD" pg_restore --no-owner --no-privileges --exit-on-error --dbname "$DST" shop-db.dump`,
			"Google Cloud's Database Migration Service",
			"aws sqs get-queue-attributes --queue-url $(skyform output -f app.yaml --cloud aws jobs url) --attribute-names ApproximateNumberOfMessages ApproximateNumberOfMessagesNotVisible",
			"look at the dead-letter queue too",
			"curl -fsS -o /dev/null -w '%{http_code}\\n' $(skyform output -f app.yaml --cloud gcp api url)",
			"gcloud container clusters get-credentials $(skyform output -f app.yaml --cloud gcp k8s name) --location us-east1",
			"gcloud functions logs read $(skyform output -f app.yaml --cloud gcp worker name) --gen2 --region us-east1 --limit 50",
			"in app.yaml, set cloud: gcp",
			"skyform destroy -f app.yaml --cloud aws",
		}, []string{"mysqldump", "az "}},
		{blueprints.GCP, blueprints.Azure, "mysql", "8.0", []string{
			`--ssl-mode=REQUIRED --enable-cleartext-plugin $(skyform output -f app.yaml --cloud azure shop-db name)"`,
			`DST_PWD="$(az account get-access-token --resource-type oss-rdbms --query accessToken --output tsv)"`,
			`MYSQL_PWD="$SRC_PWD" mysqldump $SRC --single-transaction --routines --triggers --events --set-gtid-purged=OFF > shop-db.sql`,
			`MYSQL_PWD="$DST_PWD" mysql $DST < shop-db.sql`,
			"Azure Database Migration Service",
			"gcloud pubsub topics list-subscriptions $(skyform output -f app.yaml --cloud gcp jobs id)",
			`az aks get-credentials --resource-group "$(echo $(skyform output -f app.yaml --cloud azure k8s id) | cut -d/ -f5)" --name $(skyform output -f app.yaml --cloud azure k8s name)`,
			"func azure functionapp logstream $(skyform output -f app.yaml --cloud azure worker name)",
		}, []string{"pg_dump", "secretsmanager"}},
		{blueprints.Azure, blueprints.AWS, "postgres", "16", []string{
			"az servicebus queue show --ids $(skyform output -f app.yaml --cloud azure jobs id) --query countDetails",
			"AWS Database Migration Service",
			"aws eks update-kubeconfig --region us-east-1 --name $(skyform output -f app.yaml --cloud aws k8s name)",
			"aws logs tail /aws/lambda/$(skyform output -f app.yaml --cloud aws worker name) --since 15m --region us-east-1",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"-"+string(tt.to)+"-"+tt.engine, func(t *testing.T) {
			bp := parse(t, sprintf(estate, string(tt.from), tt.engine, tt.version))
			rb := build(t, bp, tt.from, tt.to)
			var md bytes.Buffer
			if err := rb.WriteMarkdown(&md); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(md.String(), w) {
					t.Errorf("runbook lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(md.String(), w) {
					t.Errorf("runbook has %q", w)
				}
			}
			// The phases in order, each step numbered after the last.
			last := -1
			for i, s := range rb.Steps {
				if s.Number != i+1 {
					t.Errorf("step %d numbered %d", i+1, s.Number)
				}
				p := phaseIndex(s.Phase)
				if p < last {
					t.Errorf("step %d (%s) after a %s step", s.Number, s.Phase, Phases[last])
				}
				last = p
				if len(s.Commands) == 0 || len(s.Check.Commands) == 0 || s.Check.Expect == "" {
					t.Errorf("step %d %q has no command or no check", s.Number, s.Title)
				}
			}
			if got := rb.Steps[len(rb.Steps)-1].Phase; got != Destroy {
				t.Errorf("last step is %s, want destroy", got)
			}
		})
	}
}

func sprintf(format string, args ...any) string {
	r := format
	for _, a := range args {
		r = strings.Replace(r, "%s", a.(string), 1)
	}
	return r
}

func phaseIndex(p Phase) int {
	for i, q := range Phases {
		if q == p {
			return i
		}
	}
	return -1
}

// TestNoPasswordOnCommandLines: a password is read into a variable and
// handed to the tools through their environment, never as an argument.
func TestNoPasswordOnCommandLines(t *testing.T) {
	for _, c := range blueprints.Clouds {
		bp := parse(t, sprintf(estate, string(c), "postgres", "16"))
		for _, to := range blueprints.Clouds {
			if to == c {
				continue
			}
			for _, s := range build(t, bp, c, to).Steps {
				for _, cmd := range append(s.Commands, s.Check.Commands...) {
					if strings.Contains(cmd, "--password") || strings.Contains(cmd, " -p ") || strings.Contains(cmd, "password=") {
						t.Errorf("%s→%s step %d passes a password as an argument: %s", c, to, s.Number, cmd)
					}
				}
			}
		}
	}
}

func TestSameCloudRefused(t *testing.T) {
	bp := parse(t, sprintf(estate, "aws", "postgres", "16"))
	if _, err := Build(Input{Blueprint: bp, From: blueprints.AWS, To: blueprints.AWS}); err == nil || !strings.Contains(err.Error(), "both aws") {
		t.Errorf("Build aws→aws: %v", err)
	}
}
