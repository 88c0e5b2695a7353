package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
)

// parseBoth parses a policy and a blueprint written in a temporary
// directory (with a function source fn/), failing on any error.
func parseBoth(t *testing.T, policySrc, blueprintSrc string) (*Policy, *blueprints.Blueprint) {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(e, c):\n    return 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, ds := Parse("policy.yaml", []byte(policySrc))
	bp, bds := blueprints.Parse(filepath.Join(dir, "skyform.yaml"), []byte(blueprintSrc))
	if all := append(ds, bds...); all.HasErrors() {
		var b strings.Builder
		_ = diag.Write(&b, all, diag.Sources{"policy.yaml": []byte(policySrc), bp.File: []byte(blueprintSrc)})
		t.Fatalf("unexpected errors:\n%s", b.String())
	}
	return p, bp
}

// brief renders a violation as "severity line:column path: summary <- policy line:column".
func brief(v Violation) string {
	return fmt.Sprintf("%s %d:%d %s: %s <- %d:%d", v.Severity, v.Range.Start.Line, v.Range.Start.Column, v.Path,
		strings.TrimPrefix(v.Summary, "policy rule "+v.Rule+": "), v.RuleRange.Start.Line, v.RuleRange.Start.Column)
}

const fn = "    kind: function\n    runtime: python3.12\n    source: fn\n"

func TestRules(t *testing.T) {
	cases := map[string]struct {
		reason    string
		policy    string
		blueprint string
		target    blueprints.Cloud
		want      []string
	}{
		"clouds-default": {
			reason:    "resources that take the blueprint's cloud are reported once, at the blueprint's cloud key",
			policy:    "rules:\n  allowed_clouds: {clouds: [aws, azure]}\n",
			blueprint: "blueprint: shop\ncloud: gcp\nresources:\n  a: {kind: queue}\n  b: {kind: queue}\n  c: {kind: queue, cloud: azure}\n",
			want:      []string{"error 2:1 cloud: cloud gcp is not allowed <- 2:20"},
		},
		"clouds-own": {
			reason:    "a resource placed by its own cloud key is reported there",
			policy:    "rules:\n  allowed_clouds: {clouds: [aws]}\n",
			blueprint: "blueprint: shop\nresources:\n  a: {kind: queue}\n  b: {kind: queue, cloud: gcp}\n",
			want:      []string{"error 4:20 resources.b.cloud: cloud gcp is not allowed <- 2:20"},
		},
		"clouds-retarget": {
			reason:    "--cloud moves every resource, whatever the blueprint says",
			policy:    "rules:\n  allowed_clouds: {clouds: [aws]}\n",
			blueprint: "blueprint: shop\nresources:\n  a: {kind: queue}\n  b: {kind: queue, cloud: aws}\n",
			target:    blueprints.Azure,
			want:      []string{"error 1:1 cloud: cloud azure is not allowed <- 2:20"},
		},
		"clouds-ok": {
			policy:    "rules:\n  allowed_clouds: {clouds: [aws, gcp]}\n",
			blueprint: "blueprint: shop\nresources:\n  a: {kind: queue}\n  b: {kind: queue, cloud: gcp}\n",
		},
		"regions-neutral": {
			reason:    "a neutral key allows its region on every cloud",
			policy:    "rules:\n  allowed_regions: {regions: [europe-west]}\n",
			blueprint: "blueprint: shop\nregion: eu-west-1\nresources:\n  a: {kind: queue}\n  b: {kind: queue, cloud: azure}\n",
		},
		"regions-native": {
			reason:    "a native name allows that region on its own cloud only; the blueprint's region is checked per cloud used",
			policy:    "rules:\n  allowed_regions: {regions: [eu-west-1, europe-central], severity: warn}\n",
			blueprint: "blueprint: shop\nregion: europe-west\nresources:\n  a: {kind: queue}\n  b: {kind: queue, cloud: gcp}\n",
			want:      []string{`warning 2:1 region: region "europe-west" (europe-west1) is not allowed on gcp <- 2:21`},
		},
		"regions-retarget": {
			reason:    "the region is judged on the cloud compiled for",
			policy:    "rules:\n  allowed_regions: {regions: [eu-west-1]}\n",
			blueprint: "blueprint: shop\nregion: europe-west\nresources:\n  a: {kind: queue}\n",
			target:    blueprints.GCP,
			want:      []string{`error 2:1 region: region "europe-west" (europe-west1) is not allowed on gcp <- 2:21`},
		},
		"regions-default": {
			reason:    "an unwritten region is the default us-east, reported at the blueprint's name key",
			policy:    "rules:\n  allowed_regions: {regions: [europe-west]}\n",
			blueprint: "blueprint: shop\nresources:\n  a: {kind: queue}\n",
			want:      []string{`error 1:1 region: region "us-east" (us-east-1) is not allowed on aws <- 2:21`},
		},
		"max-size": {
			reason:    "sizes are ordered small < medium < large < xlarge; the limit broken is the related position",
			policy:    "rules:\n  max_size:\n    database: medium\n    cluster: large\n",
			blueprint: "blueprint: shop\nresources:\n  db: {kind: database, engine: postgres, size: large}\n  ok: {kind: database, engine: postgres}\n  k:\n    kind: cluster\n    node_pools:\n      a: {size: xlarge}\n      b: {size: large}\n      c: {}\n",
			want: []string{
				"error 3:42 resources.db.size: database db is large <- 3:5",
				"error 8:11 resources.k.node_pools.a.size: node pool a of cluster k is xlarge <- 4:5",
			},
		},
		"labels": {
			reason:    "required keys are reported at labels; a value outside the list at its key",
			policy:    "rules:\n  required_labels:\n    keys: [team, cost-center]\n    values: {env: [dev, prod], tier: [web]}\n",
			blueprint: "blueprint: shop\nlabels:\n  team: payments\n  env: qa\nresources:\n  a: {kind: queue}\n",
			want: []string{
				`error 2:1 labels.cost-center: label "cost-center" is required <- 3:5`,
				"error 4:3 labels.env: label env=qa is not allowed <- 4:14",
			},
		},
		"labels-none": {
			reason:    "without labels the blueprint's name is the position",
			policy:    "rules:\n  required_labels: {keys: [team], severity: warn}\n",
			blueprint: "blueprint: shop\nresources:\n  a: {kind: queue}\n",
			want:      []string{`warning 1:1 labels.team: label "team" is required <- 2:21`},
		},
		"queue-encryption": {
			reason:    "encryption defaults to true; only a written false breaks the rule",
			policy:    "rules:\n  queue_encryption: true\n",
			blueprint: "blueprint: shop\nresources:\n  a: {kind: queue, encryption: false}\n  b: {kind: queue}\n",
			want:      []string{"error 3:20 resources.a.encryption: queue a is not encrypted at rest <- 2:3"},
		},
		"rule-off": {
			reason:    "false switches a rule off",
			policy:    "rules:\n  queue_encryption: false\n  no_public_http: true\n",
			blueprint: "blueprint: shop\nresources:\n  a: {kind: queue, encryption: false}\n",
		},
		"deletion-protection": {
			policy:    "rules:\n  database_deletion_protection:\n",
			blueprint: "blueprint: shop\nresources:\n  db:\n    kind: database\n    engine: mysql\n    deletion_protection: false\n",
			want:      []string{"error 6:5 resources.db.deletion_protection: database db has no deletion protection <- 2:3"},
		},
		"high-availability-and-backups": {
			reason:    "fields left at their defaults are reported at the resource's name",
			policy:    "rules:\n  database_high_availability: {severity: warn}\n  database_backup_retention: {min_days: 14}\n",
			blueprint: "blueprint: shop\nresources:\n  db: {kind: database, engine: postgres}\n  ok: {kind: database, engine: postgres, high_availability: true, backup_retention_days: 14}\n",
			want: []string{
				"warning 3:3 resources.db.high_availability: database db has no standby <- 2:3",
				"error 3:3 resources.db.backup_retention_days: database db keeps backups 7 days <- 3:31",
			},
		},
		"public-http": {
			policy:    "rules:\n  no_public_http: {severity: warn}\n",
			blueprint: "blueprint: shop\nresources:\n  api:\n" + fn + "    triggers: [{http: {public: true}}]\n  internal:\n" + fn + "    triggers: [{http: {public: false}}]\n",
			want:      []string{"warning 7:24 resources.api.triggers[0].http.public: function api takes public HTTP calls <- 2:3"},
		},
		"private-endpoint": {
			policy:    "rules:\n  private_cluster_endpoint: true\n",
			blueprint: "blueprint: shop\nresources:\n  k:\n    kind: cluster\n    private_endpoint: false\n    node_pools: {a: {}}\n  p: {kind: cluster, private_endpoint: true, node_pools: {a: {}}}\n",
			want:      []string{"error 5:5 resources.k.private_endpoint: cluster k has a public API endpoint <- 2:3"},
		},
		"max-nodes": {
			reason:    "a pool's max against per_pool; the sum of the pools' max (12 + the default 3) stays within per_cluster",
			policy:    "rules:\n  max_nodes: {per_pool: 10, per_cluster: 15}\n",
			blueprint: "blueprint: shop\nresources:\n  k:\n    kind: cluster\n    node_pools:\n      a: {max: 12}\n      b: {min: 0}\n  ok: {kind: cluster, node_pools: {a: {max: 10}}}\n",
			want:      []string{"error 6:11 resources.k.node_pools.a.max: node pool a of cluster k may grow to 12 nodes <- 2:15"},
		},
		"max-nodes-cluster": {
			reason:    "the sum of the pools' max, defaults included, against per_cluster",
			policy:    "rules:\n  max_nodes: {per_cluster: 14}\n",
			blueprint: "blueprint: shop\nresources:\n  k:\n    kind: cluster\n    node_pools:\n      a: {max: 12}\n      b: {min: 0}\n",
			want:      []string{"error 5:5 resources.k.node_pools: cluster k may grow to 15 nodes <- 2:15"},
		},
		"runtimes": {
			policy:    "rules:\n  allowed_runtimes: {runtimes: [nodejs22, go]}\n",
			blueprint: "blueprint: shop\nresources:\n  api:\n" + fn,
			want:      []string{"error 5:5 resources.api.runtime: runtime python3.12 is not allowed <- 2:22"},
		},
		"engine-versions": {
			reason:    "the default version counts; an engine not listed is free",
			policy:    "rules:\n  allowed_engine_versions:\n    postgres: [\"17\"]\n",
			blueprint: "blueprint: shop\nresources:\n  a: {kind: database, engine: postgres, version: \"15\"}\n  b: {kind: database, engine: postgres}\n  c: {kind: database, engine: mysql}\n  d: {kind: database, engine: postgres, version: \"17\"}\n",
			want: []string{
				"error 3:41 resources.a.version: postgres 15 is not allowed <- 3:5",
				"error 4:3 resources.b.version: postgres 16 is not allowed <- 3:5",
			},
		},
		"kubernetes": {
			policy:    "rules:\n  allowed_kubernetes_versions: {versions: [\"1.33\"]}\n",
			blueprint: "blueprint: shop\nresources:\n  k: {kind: cluster, kubernetes: \"1.31\", node_pools: {a: {}}}\n",
			want:      []string{"error 3:22 resources.k.kubernetes: Kubernetes 1.31 is not allowed <- 2:33"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p, bp := parseBoth(t, tc.policy, tc.blueprint)
			var got []string
			for _, v := range p.Check(bp, tc.target) {
				if v.Range.File != bp.File || v.RuleRange.File != "policy.yaml" {
					t.Errorf("violation in the wrong files: %+v", v)
				}
				got = append(got, brief(v))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}
