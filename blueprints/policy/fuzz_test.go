package policy

import (
	"testing"

	"github.com/skyform/skyform/blueprints"
)

// FuzzParse feeds arbitrary bytes to the policy parser: it must never
// panic, and a policy that parses without errors must check a blueprint
// without panicking.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"rules: {queue_encryption: true}\n",
		"policy: a\nrules:\n  allowed_regions: {regions: [eu-west-1, us-east]}\n  max_size: {database: large}\n",
		"rules:\n  required_labels: {keys: [team], values: {env: [dev]}}\n  max_nodes: {per_pool: 3}\n",
		"a: &a [*a, *a]\nrules: {no_public_http: *a}\n",
		"rules: {allowed_engine_versions: {postgres: [16]}, allowed_kubernetes_versions: {versions: ['1.33']}}\n",
	} {
		f.Add([]byte(seed))
	}
	bp, ds := blueprints.Parse("skyform.yaml", []byte(`blueprint: shop
region: europe-west
labels: {env: qa}
resources:
  q: {kind: queue, encryption: false}
  db: {kind: database, engine: postgres, size: xlarge}
  k: {kind: cluster, node_pools: {a: {max: 9, size: large}}}
`))
	if ds.HasErrors() {
		f.Fatal(ds)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, ds := Parse("policy.yaml", src)
		if ds.HasErrors() {
			return
		}
		for _, c := range append([]blueprints.Cloud{""}, blueprints.Clouds...) {
			for _, v := range p.Check(bp, c) {
				if v.Range.File != "skyform.yaml" || v.RuleRange.File != "policy.yaml" {
					t.Fatalf("violation outside the two files: %+v", v)
				}
			}
		}
	})
}
