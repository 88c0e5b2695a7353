package compiler

import (
	"fmt"
	"hash/fnv"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/pack"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/modules"
	"github.com/skyform/skyform/providers"
)

// Format is the syntax of the generated root module.
type Format string

// The output formats.
const (
	HCL  Format = "hcl"
	JSON Format = "json"
)

// Result is a compiled root module: every file keyed by its slash-separated
// path relative to the output directory.
type Result struct {
	Files map[string][]byte
	// Clouds are the clouds the root module places resources on.
	Clouds []blueprints.Cloud
	// InitInputs lists what terraform init depends on: the provider
	// requirements and every module call's address and source. When they
	// have not changed, a new plan need not run init again.
	InitInputs []string
	// Variables are the root module's input variables (a GCP project...).
	Variables []Variable
}

// Variable is a root input variable a cloud's provider block needs.
type Variable struct {
	Name     string
	Required bool
}

// Compiler compiles blueprints. It caches packaged function sources, so
// compiling one blueprint for several clouds zips each source once.
type Compiler struct {
	format Format
	zips   map[string]*pack.Archive
}

// Option configures a Compiler.
type Option func(*Compiler)

// WithFormat selects HCL (the default) or JSON output.
func WithFormat(f Format) Option { return func(c *Compiler) { c.format = f } }

// New returns a Compiler.
func New(opts ...Option) *Compiler {
	c := &Compiler{format: HCL, zips: map[string]*pack.Archive{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Compile lowers a valid blueprint. target, when set, places every resource
// on that cloud (the `--cloud` retargeting); otherwise placement is as
// written. Problems in what the clouds can express come back as
// diagnostics; a function source that cannot be read is an error.
func (c *Compiler) Compile(bp *blueprints.Blueprint, target blueprints.Cloud) (*Result, diag.Diagnostics, error) {
	if target != "" {
		bp = bp.Retarget(target)
	}
	res := &Result{Files: map[string][]byte{}, Clouds: bp.CloudsUsed()}
	packages, err := c.packageFunctions(bp, res)
	if err != nil {
		return nil, nil, err
	}
	mods, ds := loadModules(bp)
	ds = append(ds, checkOverrides(bp, mods)...)
	ds = append(ds, checkObjectNames(bp, res.Clouds, mods)...)
	imports, importDs := loadImports(bp)
	ds = append(ds, importDs...)

	cfg := &tfir.Config{Header: header(bp)}
	versions := tfir.NewBlock("terraform")
	minTerraform := "1.5.0"
	versions.Set("required_version", tfir.String(""))
	reqs := versions.Nest("required_providers")
	var provs, vars, implicit, resources []*tfir.Block
	var used []string
	ids := make(map[string]bool, len(bp.Resources))
	for _, r := range bp.Resources {
		ids[r.ID()] = true
	}
	for _, cl := range res.Clouds {
		p := Lookup(cl)
		frag, fds := p.Lower(&providers.Input{Blueprint: bp, Resources: bp.Placed(cl), Packages: packages})
		ds = append(ds, fds...)
		if frag == nil {
			continue
		}
		pr := p.Provider()
		res.InitInputs = append(res.InitInputs, "provider "+pr.LocalName+"="+pr.Source+"@"+pr.Version)
		reqs.Set(pr.LocalName, tfir.Object{{Key: "source", Value: tfir.String(pr.Source)}, {Key: "version", Value: tfir.String(pr.Version)}})
		if frag.MinTerraform != "" && newer(frag.MinTerraform, minTerraform) {
			minTerraform = frag.MinTerraform
		}
		provs = append(provs, frag.Providers...)
		vars = append(vars, frag.Variables...)
		for _, v := range frag.Variables {
			res.Variables = append(res.Variables, Variable{Name: v.Labels[0], Required: !hasAttr(v, "default")})
		}
		for _, m := range frag.Modules {
			if ids[m.Labels[0]] {
				resources = append(resources, m)
			} else {
				implicit = append(implicit, m)
			}
		}
		for _, mod := range frag.ModulesUsed {
			if kind, ok := strings.CutPrefix(mod, string(cl)+"/"); !ok || mods.Lookup(blueprints.Kind(kind), cl) == nil {
				used = append(used, mod)
			}
		}
	}
	outs := outputs(bp)
	ds = append(ds, substitute(mods, bp, append(append([]*tfir.Block{}, implicit...), resources...), outs, res)...)
	if ds.HasErrors() {
		ds.Sort()
		return nil, ds, nil
	}
	sort.SliceStable(resources, func(i, j int) bool { return resources[i].Labels[0] < resources[j].Labels[0] })
	for _, m := range append(append([]*tfir.Block{}, implicit...), resources...) {
		res.InitInputs = append(res.InitInputs, "module "+m.Labels[0]+"="+moduleSource(m)+versionSuffix(m))
	}

	versions.Items[0].Attr.Value = tfir.String(">= " + minTerraform)
	cfg.File("versions").Add(versions)
	cfg.File("providers").Add(provs...)
	if len(vars) > 0 {
		cfg.File("variables").Add(vars...)
	}
	placeResources(cfg, implicit, resources, outs)
	if moves := moved(bp); len(moves) > 0 {
		cfg.File("moved").Add(moves...)
	}
	if len(imports) > 0 {
		cfg.File("imports").Add(imports...)
	}

	var files map[string][]byte
	if c.format == JSON {
		files, err = cfg.JSON()
	} else {
		files, err = cfg.HCL()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot emit Terraform: %w", err)
	}
	for name, data := range files {
		res.Files[name] = data
	}
	if err := addModules(res, used); err != nil {
		return nil, nil, err
	}
	ds.Sort()
	return res, ds, nil
}

// spreadAbove is the number of resources above which their module calls
// and outputs are spread over several files. Files are few and large
// rather than many and small: creating a file costs 0.1 to 1 ms on a
// loaded disk, while rewriting a large one costs hardly more than a small
// one, so a first compile of a large blueprint is not spent creating files.
const spreadAbove = 256

// placeResources puts the module calls in main.tf and the outputs in
// outputs.tf. A blueprint of more than spreadAbove resources has each
// resource's module call and output together in one of the files
// resources-<hex>.tf instead (main.tf keeps the implicit modules): the
// file follows from a hash of the resource's name and the number of files,
// a power of two giving 64 to 128 resources a file. Compiling again after a
// change to one resource then rewrites one file, not a file holding
// every resource; the number of files only changes when the count of
// resources crosses a power of two.
func placeResources(cfg *tfir.Config, implicit, resources, outs []*tfir.Block) {
	if len(resources) <= spreadAbove {
		cfg.File("main").Add(append(implicit, resources...)...)
		cfg.File("outputs").Add(outs...)
		return
	}
	if len(implicit) > 0 {
		cfg.File("main").Add(implicit...)
	}
	n := 1
	for n*spreadAbove/2 < len(resources) {
		n *= 2
	}
	digits := len(strconv.FormatInt(int64(n-1), 16))
	shards := make([][]*tfir.Block, n)
	at := func(label string) int {
		h := fnv.New32a()
		h.Write([]byte(label))
		return int(h.Sum32() % uint32(n))
	}
	for _, m := range resources {
		i := at(m.Labels[0])
		shards[i] = append(shards[i], m)
	}
	for _, o := range outs {
		i := at(o.Labels[0])
		shards[i] = append(shards[i], o)
	}
	for i, bs := range shards {
		if len(bs) > 0 {
			cfg.Files = append(cfg.Files, &tfir.File{Name: fmt.Sprintf("resources-%0*x", digits, i), Blocks: bs})
		}
	}
}

func header(bp *blueprints.Blueprint) string {
	var cs []string
	for _, c := range bp.CloudsUsed() {
		cs = append(cs, string(c))
	}
	return fmt.Sprintf("Generated by skyform from blueprint %q for %s.\nEdit the blueprint and compile again rather than editing this file.", bp.Name, strings.Join(cs, ", "))
}

// packageFunctions zips each distinct function source once and names the
// zip after its content, build/<sha12>.zip: functions built from the same
// source share one file, and a code change changes the path as well as the
// hash, which every cloud takes as a new deployment.
func (c *Compiler) packageFunctions(bp *blueprints.Blueprint, res *Result) (map[string]providers.Package, error) {
	out := map[string]providers.Package{}
	for _, r := range bp.Resources {
		if r.Function == nil {
			continue
		}
		z, ok := c.zips[r.Function.SourceDir]
		if !ok {
			var err error
			if z, err = pack.Zip(r.Function.SourceDir); err != nil {
				return nil, err
			}
			c.zips[r.Function.SourceDir] = z
		}
		p := packagePath(z)
		res.Files[p] = z.Data
		out[r.Name] = providers.Package{Path: p, SHA256: z.SHA256, SHA256Hex: z.SHA256Hex}
	}
	return out, nil
}

// packagePath is where a packaged source is written, relative to the root
// module: named by its content, so identical packages are one file.
func packagePath(z *pack.Archive) string {
	return "build/" + z.SHA256Hex[:12] + ".zip"
}

// checkOverrides refuses override keys that are not variables of the
// module they would be passed to, on every cloud a resource could move to:
// the embedded module, or the team's module the config substitutes (a
// remote one cannot be read, so its keys pass unchecked).
func checkOverrides(bp *blueprints.Blueprint, mods *modules.Config) diag.Diagnostics {
	var ds diag.Diagnostics
	for _, r := range bp.Resources {
		for _, cl := range blueprints.Clouds {
			ov := r.Overrides[cl]
			if len(ov) == 0 {
				continue
			}
			mod := string(cl) + "/" + string(r.Kind)
			sub := mods.Lookup(r.Kind, cl)
			if sub != nil && sub.Remote() {
				continue
			}
			iface, err := modules.Describe(mod)
			if sub != nil && sub.Interface != nil {
				iface, mod = sub.Interface, sub.Source
			}
			if err != nil {
				ds = ds.Errorf(r.Range, r.Path("overrides"), "cannot read module "+mod, "%v", err)
				continue
			}
			keys := make([]string, 0, len(ov))
			for k := range ov {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			vars := iface.VariableNames()
			for _, k := range keys {
				if i := sort.SearchStrings(vars, k); i < len(vars) && vars[i] == k {
					continue
				}
				field := "overrides." + string(cl) + "." + k
				ds = ds.Errorf(r.At(field), r.Path(field), fmt.Sprintf("unknown override %q for %s on %s", k, r.Kind, cl),
					"%soverrides set variables of the module %s: %s", didYouMean(k, vars), mod, strings.Join(vars, ", "))
			}
		}
	}
	return ds
}

func didYouMean(s string, vars []string) string {
	for _, v := range vars {
		if strings.Contains(v, s) || strings.Contains(s, v) {
			return fmt.Sprintf("did you mean %q? ", v)
		}
	}
	return ""
}

// outputs exposes each resource's neutral attributes, so `terraform output`
// speaks in blueprint terms; a large blueprint's are built in one part per core.
func outputs(bp *blueprints.Blueprint) []*tfir.Block {
	out := make([]*tfir.Block, len(bp.Resources))
	parts := runtime.GOMAXPROCS(0)
	if len(bp.Resources) < 256 {
		parts = 1
	}
	var wg sync.WaitGroup
	for p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := len(out)*p/parts, len(out)*(p+1)/parts
			for i, r := range bp.Resources[lo:hi] {
				out[lo+i] = output(r)
			}
		}()
	}
	wg.Wait()
	return out
}

// output is the root output of a resource: every neutral attribute of it.
func output(r *blueprints.Resource) *tfir.Block {
	id := r.ID()
	b := tfir.NewBlock("output", id)
	b.Items = make([]tfir.Item, 0, 2)
	b.Set("description", tfir.String(string(r.Kind)+" "+r.Name+" on "+string(r.Cloud)))
	attrs := blueprints.Attributes[r.Kind]
	o := make(tfir.Object, len(attrs))
	// One backing array for the attributes' references: a blueprint of
	// thousands of resources has tens of thousands of them.
	steps := make([]string, 3*len(attrs))
	for i, a := range attrs {
		t := steps[3*i : 3*i+3 : 3*i+3]
		t[0], t[1], t[2] = "module", id, a.Name
		o[i] = tfir.ObjectAttr{Key: a.Name, Value: tfir.Traversal(t)}
	}
	b.Set("value", o)
	return b
}

// moved chains each renamed resource's module from its oldest name to its
// current one (a→b, b→c), so terraform moves the state instead of
// destroying and creating, whichever name the state is at. Addresses inside
// the modules never change with a rename: maps there are keyed by original
// names (blueprints.Resource.OriginalName).
func moved(bp *blueprints.Blueprint) []*tfir.Block {
	var out []*tfir.Block
	for _, r := range bp.Resources {
		names := append(append([]string{}, r.RenamedFrom...), r.Name)
		for i := 0; i+1 < len(names); i++ {
			from := (&blueprints.Resource{Name: names[i]}).ID()
			to := (&blueprints.Resource{Name: names[i+1]}).ID()
			out = append(out, tfir.Moved(tfir.Address{"module", from}, tfir.Address{"module", to}))
		}
	}
	return out
}

// newer compares dotted version numbers.
func newer(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x > y
		}
	}
	return len(as) > len(bs)
}

func hasAttr(b *tfir.Block, name string) bool {
	for _, it := range b.Items {
		if it.Attr != nil && it.Attr.Name == name {
			return true
		}
	}
	return false
}

func moduleSource(m *tfir.Block) string { return attrString(m, "source") }

func versionSuffix(m *tfir.Block) string {
	if v := attrString(m, "version"); v != "" {
		return "@" + v
	}
	return ""
}

// attrString is the value of a string attribute of a block, or "".
func attrString(m *tfir.Block, name string) string {
	for _, it := range m.Items {
		if it.Attr != nil && it.Attr.Name == name {
			if s, ok := it.Attr.Value.(tfir.Str); ok {
				return string(s)
			}
		}
	}
	return ""
}

// addModules copies the embedded modules the root module calls.
func addModules(res *Result, used []string) error {
	seen := map[string]bool{}
	for _, mod := range used {
		if seen[mod] {
			continue
		}
		seen[mod] = true
		if !modules.Exists(mod) {
			return fmt.Errorf("lowering used module %s, which is not embedded", mod)
		}
		files, err := modules.Files(mod)
		if err != nil {
			return err
		}
		for name, data := range files {
			res.Files[path.Join("modules", mod, name)] = data
		}
	}
	return nil
}
