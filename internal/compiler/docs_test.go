package compiler

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/skyform/skyform/blueprints"
)

// TestDocs keeps the region and size tables in docs/blueprint.md equal to
// the tables the code uses; -update rewrites them.
func TestDocs(t *testing.T) {
	const path = "../../docs/blueprint.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for name, table := range map[string]string{"regions": regionTable(), "sizes": sizeTable()} {
		re := regexp.MustCompile(`(?s)(<!-- BEGIN ` + name + `[^>]*-->\n).*?(<!-- END ` + name + ` -->)`)
		if !re.MatchString(doc) {
			t.Fatalf("docs/blueprint.md has no %s markers", name)
		}
		doc = re.ReplaceAllString(doc, "${1}"+strings.ReplaceAll(table, "$", "$$")+"${2}")
	}
	if doc == string(data) {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("docs/blueprint.md tables are stale; run go test ./internal/compiler -update")
}

func regionTable() string {
	var b strings.Builder
	b.WriteString("| neutral | location | aws | gcp | azure |\n|---|---|---|---|---|\n")
	for _, r := range blueprints.NeutralRegions {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.Key, r.Location, r.Native[blueprints.AWS], r.Native[blueprints.GCP], r.Native[blueprints.Azure])
	}
	return b.String()
}

func sizeTable() string {
	var b strings.Builder
	b.WriteString("| kind | size | aws | gcp | azure |\n|---|---|---|---|---|\n")
	for _, k := range []blueprints.Kind{blueprints.KindDatabase, blueprints.KindCluster} {
		for _, s := range blueprints.Sizes {
			fmt.Fprintf(&b, "| %s | %s |", k, s)
			for _, c := range Clouds() {
				cell := "—"
				for _, m := range c.Sizes() {
					if m.Kind == k && m.Size == s {
						cell = fmt.Sprintf("`%s` (%d vCPU, %g GiB)", m.Type, m.VCPU, m.MemoryGiB)
						if m.Note != "" {
							cell += ": " + m.Note
						}
					}
				}
				fmt.Fprintf(&b, " %s |", cell)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
