package cost

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
)

// TestCatalogCoversExamples: every SKU the estimate of an example asks for
// on any cloud is in that cloud's catalog, so the catalog (and the list of
// unpriced SKUs in the docs built on it) cannot fall behind the estimator.
func TestCatalogCoversExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/*/skyform.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	catalog := map[blueprints.Cloud]map[string]bool{}
	for _, c := range blueprints.Clouds {
		catalog[c] = map[string]bool{}
		for _, s := range Catalog(c) {
			catalog[c][s] = true
		}
	}
	seen := 0
	for _, file := range files {
		rep, ds, err := Estimate(load(t, file), Options{})
		if err != nil || ds.HasErrors() {
			t.Fatalf("%s: %v %v", file, err, ds)
		}
		for _, it := range rep.Items {
			if strings.HasPrefix(it.SKU, "spot:") {
				continue
			}
			seen++
			if !catalog[it.Cloud][it.SKU] {
				t.Errorf("%s: %s asks for %s, which Catalog(%s) does not list", file, it.Resource, it.SKU, it.Cloud)
			}
		}
	}
	if seen == 0 {
		t.Fatal("the examples' estimates have no items")
	}
}

// TestCatalogSizes: each size table's instance classes, tiers and machine
// types are in the catalog, for both database engines where the SKU names
// the engine.
func TestCatalogSizes(t *testing.T) {
	for _, tc := range []struct {
		cloud blueprints.Cloud
		want  []string
	}{
		{blueprints.AWS, []string{"aws.rds.postgres.db.t4g.medium", "aws.rds.mysql.db.m7g.2xlarge", "aws.ec2.m7i.4xlarge"}},
		{blueprints.GCP, []string{"gcp.gce.e2-standard-16", "gcp.sql.cpu"}},
		{blueprints.Azure, []string{"azure.postgres.GP_Standard_D8ads_v5", "azure.mysql.B_Standard_B2s", "azure.vm.Standard_D16s_v5", "azure.disk.premium.p10"}},
	} {
		got := strings.Join(Catalog(tc.cloud), " ")
		for _, s := range tc.want {
			if !strings.Contains(" "+got+" ", " "+s+" ") {
				t.Errorf("Catalog(%s) lacks %s: %s", tc.cloud, s, got)
			}
		}
	}
}

var unpricedRow = regexp.MustCompile("^\\| (aws|gcp|azure) \\| `([^`]+)` \\| ([^|]+) \\|$")

// TestDocsListUnpriced: the table of docs/cost.md between the unpriced
// markers names exactly the catalog SKUs that the embedded price table has
// no row for in a default region, with those regions.
func TestDocsListUnpriced(t *testing.T) {
	tb, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, c := range blueprints.Clouds {
		for _, sku := range Catalog(c) {
			var missing []string
			for _, reg := range DefaultRegions {
				native, _ := nativeRegion(reg, c)
				if _, ok := tb.Lookup(c, native, sku); !ok {
					missing = append(missing, native)
				}
			}
			if len(missing) > 0 {
				want[string(c)+" "+sku] = strings.Join(missing, ", ")
			}
		}
	}
	src, err := os.ReadFile("../../docs/cost.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	begin, end := strings.Index(doc, "<!-- unpriced:begin -->"), strings.Index(doc, "<!-- unpriced:end -->")
	if begin < 0 || end < begin {
		t.Fatal("docs/cost.md has no <!-- unpriced:begin --> ... <!-- unpriced:end --> section")
	}
	got := map[string]string{}
	for _, line := range strings.Split(doc[begin:end], "\n") {
		if m := unpricedRow.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			got[m[1]+" "+m[2]] = strings.TrimSpace(m[3])
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		var rows []string
		for k, v := range want {
			f := strings.SplitN(k, " ", 2)
			rows = append(rows, "| "+f[0]+" | `"+f[1]+"` | "+v+" |")
		}
		sort.Strings(rows)
		t.Errorf("docs/cost.md's list of unpriced SKUs is out of date (-table +docs):\n%s\nthe rows should be:\n%s", d, strings.Join(rows, "\n"))
	}
}
