package compiler

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/tfir"
	"gopkg.in/yaml.v3"
)

// ImportFile is an import file (skyform.imports.yaml): for each neutral
// resource, the cloud objects terraform imports into its module, as the
// resource address inside the module and the provider's import ID.
// skyform import writes it; the compiler turns it into import blocks in
// the root module (terraform allows them nowhere else).
type ImportFile struct {
	// Cloud is the cloud the objects live on; a resource placed elsewhere
	// (--cloud) imports nothing.
	Cloud blueprints.Cloud `yaml:"cloud"`
	// Resources maps a blueprint resource name to its objects.
	Resources map[string][]Import `yaml:"resources"`
	// Implicit maps an implicit module of the cloud (azure_group, the
	// blueprint's resource group) to its objects; they are imported when
	// the blueprint places a resource on that cloud.
	Implicit map[string][]Import `yaml:"implicit,omitempty"`
}

// implicitModules are the implicit modules an import file may name, with
// the cloud whose resources bring them.
var implicitModules = map[string]blueprints.Cloud{"azure_group": blueprints.Azure}

// Import is one cloud object: To is the address inside the resource's
// module (aws_sqs_queue.this, aws_lambda_event_source_mapping.queue["orders"]).
type Import struct {
	To string `yaml:"to" json:"to"`
	ID string `yaml:"id" json:"id"`
}

// Marshal writes the file with a comment on top, resources sorted.
func (f *ImportFile) Marshal(comment string) ([]byte, error) {
	var buf bytes.Buffer
	for _, l := range bytes.Split([]byte(comment), []byte("\n")) {
		fmt.Fprintf(&buf, "# %s\n", l)
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// importAddress is an address inside a module: a managed resource, with a
// count index or a for_each key of a blueprint name.
var importAddress = regexp.MustCompile(`^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*(\[([0-9]+|"[A-Za-z0-9][A-Za-z0-9._/-]*")\])?$`)

// loadImports reads the blueprint's import file and returns the import
// blocks for the resources placed on its cloud. Every mistake is a
// diagnostic at its line in the file.
func loadImports(bp *blueprints.Blueprint) ([]*tfir.Block, diag.Diagnostics) {
	if bp.Imports == "" {
		return nil, nil
	}
	var ds diag.Diagnostics
	data, err := os.ReadFile(bp.Imports)
	if err != nil {
		return nil, ds.Errorf(bp.ImportsRange, "imports", "cannot read the import file", "%v", err)
	}
	file := bp.Imports
	at := func(n *yaml.Node) diag.Range {
		return diag.Range{File: file, Start: diag.Pos{Line: n.Line, Column: n.Column}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, ds.Errorf(diag.Range{File: file, Start: diag.Pos{Line: 1, Column: 1}}, "", "invalid import file", "%v", err)
	}
	var f ImportFile
	if err := root.Decode(&f); err != nil {
		return nil, ds.Errorf(diag.Range{File: file, Start: diag.Pos{Line: 1, Column: 1}}, "", "invalid import file", "%v", err)
	}
	// Positions of each resource key and import item.
	keys := map[string]*yaml.Node{}
	items := map[string][]*yaml.Node{}
	if len(root.Content) == 1 {
		top := root.Content[0]
		for i := 0; i+1 < len(top.Content); i += 2 {
			if top.Content[i].Value == "resources" {
				rs := top.Content[i+1]
				for j := 0; j+1 < len(rs.Content); j += 2 {
					keys[rs.Content[j].Value] = rs.Content[j]
					items[rs.Content[j].Value] = rs.Content[j+1].Content
				}
			}
			if top.Content[i].Value == "cloud" && !validCloud(f.Cloud) {
				ds = ds.Errorf(at(top.Content[i+1]), "cloud", fmt.Sprintf("unknown cloud %q", f.Cloud), "the cloud is aws, gcp or azure")
			}
		}
	}
	names := make([]string, 0, len(f.Resources))
	for n := range f.Resources {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []*tfir.Block
	for _, name := range names {
		r := bp.Resource(name)
		if r == nil {
			ds = ds.Errorf(at(keys[name]), "resources."+name, fmt.Sprintf("no resource %q in the blueprint", name),
				"the import file names the blueprint's resources; remove the entry or add the resource")
			continue
		}
		for i, im := range f.Resources[name] {
			pos := at(keys[name])
			if i < len(items[name]) {
				pos = at(items[name][i])
			}
			path := fmt.Sprintf("resources.%s[%d]", name, i)
			if !importAddress.MatchString(im.To) {
				ds = ds.Errorf(pos, path+".to", fmt.Sprintf("invalid address %q", im.To),
					"to is a resource address inside the module, such as aws_sqs_queue.this or aws_lambda_event_source_mapping.queue[\"orders\"]")
				continue
			}
			if im.ID == "" {
				ds = ds.Errorf(pos, path+".id", "missing import ID", "id is the ID the provider imports the object by")
				continue
			}
			if r.Cloud != f.Cloud {
				continue
			}
			b := tfir.NewBlock("import")
			typ, name, _ := strings.Cut(im.To, ".")
			b.Set("to", tfir.Address{"module", r.ID(), typ, name})
			b.Set("id", tfir.String(im.ID))
			out = append(out, b)
		}
	}
	onCloud := false
	for _, r := range bp.Resources {
		onCloud = onCloud || r.Cloud == f.Cloud
	}
	mods := make([]string, 0, len(f.Implicit))
	for m := range f.Implicit {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	for _, m := range mods {
		pos := diag.Range{File: file, Start: diag.Pos{Line: 1, Column: 1}}
		if c, ok := implicitModules[m]; !ok || c != f.Cloud {
			ds = ds.Errorf(pos, "implicit."+m, fmt.Sprintf("no implicit module %q on %s", m, f.Cloud),
				"implicit names a cloud's implicit module: azure_group on azure")
			continue
		}
		for i, im := range f.Implicit[m] {
			path := fmt.Sprintf("implicit.%s[%d]", m, i)
			if !importAddress.MatchString(im.To) || im.ID == "" {
				ds = ds.Errorf(pos, path, "invalid import", "each import has a resource address inside the module (to) and an import ID (id)")
				continue
			}
			if !onCloud {
				continue
			}
			b := tfir.NewBlock("import")
			typ, name, _ := strings.Cut(im.To, ".")
			b.Set("to", tfir.Address{"module", m, typ, name})
			b.Set("id", tfir.String(im.ID))
			out = append(out, b)
		}
	}
	return out, ds
}

func validCloud(c blueprints.Cloud) bool {
	for _, k := range blueprints.Clouds {
		if k == c {
			return true
		}
	}
	return false
}
