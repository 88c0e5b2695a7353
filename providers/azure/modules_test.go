package azure

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/skyform/skyform/blueprints"
)

// TestModules checks what the brief asks of every Azure module without
// running terraform: four files, typed and described variables, only the
// azurerm provider (the offline mirror serves no other), and the outputs
// references to the kind use.
func TestModules(t *testing.T) {
	kinds := map[string]blueprints.Kind{"group": "", "network": "", "queue": blueprints.KindQueue,
		"function": blueprints.KindFunction, "database": blueprints.KindDatabase, "cluster": blueprints.KindCluster}
	for dir, kind := range kinds {
		t.Run(dir, func(t *testing.T) {
			path := filepath.Join("..", "..", "modules", "azure", dir)
			outputs := map[string]bool{}
			for _, name := range []string{"main.tf", "variables.tf", "outputs.tf", "versions.tf"} {
				src, err := os.ReadFile(filepath.Join(path, name))
				if err != nil {
					t.Fatal(err)
				}
				f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				for _, b := range f.Body.(*hclsyntax.Body).Blocks {
					switch b.Type {
					case "variable":
						for _, a := range []string{"type", "description"} {
							if _, ok := b.Body.Attributes[a]; !ok {
								t.Errorf("%s: variable %s has no %s", name, b.Labels[0], a)
							}
						}
					case "output":
						outputs[b.Labels[0]] = true
					case "resource", "data":
						if typ := b.Labels[0]; !strings.HasPrefix(typ, "azurerm_") && typ != "terraform_data" {
							t.Errorf("%s: %s %s needs a provider other than azurerm", name, b.Type, typ)
						}
					case "terraform":
						for _, rp := range b.Body.Blocks {
							if rp.Type != "required_providers" {
								continue
							}
							if len(rp.Body.Attributes) != 1 || rp.Body.Attributes["azurerm"] == nil {
								t.Errorf("%s: required_providers must name azurerm only", name)
							}
							if strings.Contains(string(src), "version") {
								t.Errorf("%s: the root module pins the provider version, not the module", name)
							}
						}
					}
				}
			}
			for _, a := range blueprints.Attributes[kind] {
				if !outputs[a.Name] {
					t.Errorf("module %s has no output %q", dir, a.Name)
				}
			}
		})
	}
}
