package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Backend is a deployment's state backend as terraform init receives it:
// the type goes into a partial backend block in backend.tf, the settings
// into -backend-config, so the compiled configuration never names where
// its state lives.
type Backend struct {
	Type blueprints.BackendType `json:"type"`
	// Config holds the settings by terraform's names (bucket, key,
	// storage_account_name...).
	Config map[string]string `json:"config"`
	// Encrypted keeps a local state encrypted at rest (state/encrypted):
	// terraform is given an http backend served by skyform instead of the
	// local one, and the workdir holds EncryptedStateFile.
	Encrypted bool `json:"encrypted,omitempty"`
}

// EncryptedStateFile is the encrypted state in the workdir.
const EncryptedStateFile = "terraform.tfstate.enc"

// BackendFile is the generated file holding the partial backend block.
const BackendFile = "backend.tf"

// BackendRecordName is what the last successful init was given, so that a
// change of backend is noticed before terraform is asked to follow it.
const BackendRecordName = ".skyform-backend.json"

// Settings returns the settings as sorted "key=value" strings, the
// arguments of terraform init -backend-config.
func (b *Backend) Settings() []string {
	out := make([]string, 0, len(b.Config))
	for k, v := range b.Config {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// String describes the backend for messages: "s3 (bucket=a, key=b, ...)".
func (b *Backend) String() string {
	if b.Encrypted {
		return string(b.Type) + " (state in the workdir, encrypted)"
	}
	if len(b.Config) == 0 {
		return string(b.Type) + " (state in the workdir)"
	}
	var parts []string
	for _, kv := range b.Settings() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "bucket" || k == "key" || k == "prefix" || k == "storage_account_name" || k == "container_name" {
			parts = append(parts, kv)
		}
	}
	return string(b.Type) + " (" + strings.Join(parts, ", ") + ")"
}

func (b *Backend) Equal(o *Backend) bool {
	return b.Type == o.Type && b.Encrypted == o.Encrypted && fmt.Sprint(b.Settings()) == fmt.Sprint(o.Settings())
}

// BackendConfigError is a backend given on the command line that cannot be
// used as it is.
type BackendConfigError struct {
	Msg string
}

func (e *BackendConfigError) Error() string { return e.Msg }

func configErrorf(format string, args ...any) error {
	return &BackendConfigError{Msg: fmt.Sprintf(format, args...)}
}

// aliases lets --backend-config use the blueprint's short names.
var aliases = map[blueprints.BackendType]map[string]string{
	blueprints.BackendAzure: {"storage_account": "storage_account_name", "container": "container_name", "resource_group": "resource_group_name"},
}

// keyName is the setting that names the state object, derived per
// deployment unless given.
var keyName = map[blueprints.BackendType]string{
	blueprints.BackendS3: "key", blueprints.BackendGCS: "prefix", blueprints.BackendAzure: "key",
}

// required are the settings without which a backend cannot be used, with
// the blueprint field that sets them.
var required = map[blueprints.BackendType][][2]string{
	blueprints.BackendS3:    {{"bucket", "bucket"}},
	blueprints.BackendGCS:   {{"bucket", "bucket"}},
	blueprints.BackendAzure: {{"storage_account_name", "storage_account"}, {"container_name", "container"}},
}

// fixed are settings skyform always sets: S3 state is encrypted and
// locked with a lock file beside it. The other backends lock and encrypt
// natively.
var fixed = map[blueprints.BackendType]map[string]string{
	blueprints.BackendS3: {"encrypt": "true", "use_lockfile": "true"},
}

// credentialSettings would put a secret into terraform's arguments (seen
// in process lists) and into .terraform/terraform.tfstate.
var credentialSettings = map[blueprints.BackendType]map[string]string{
	blueprints.BackendS3:    {"access_key": "", "secret_key": "", "token": "", "sse_customer_key": ""},
	blueprints.BackendGCS:   {"credentials": "", "access_token": "", "encryption_key": ""},
	blueprints.BackendAzure: {"access_key": "", "sas_token": "", "client_secret": "", "client_certificate": "", "client_certificate_password": "", "oidc_token": "", "oidc_request_token": ""},
}

var credentialHint = map[blueprints.BackendType]string{
	blueprints.BackendS3:    "AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an instance role",
	blueprints.BackendGCS:   "application default credentials or GOOGLE_APPLICATION_CREDENTIALS",
	blueprints.BackendAzure: "az login, ARM_CLIENT_ID/ARM_CLIENT_SECRET, ARM_ACCESS_KEY or a managed identity",
}

var settingNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// DeploymentName is what tells one deployment of a blueprint from another:
// the clouds it is placed on, and whether it is offline. Workdirs and the
// default state keys are named by it, so a retargeted deployment never
// shares state with the blueprint's own.
func DeploymentName(clouds []blueprints.Cloud, isOffline bool) string {
	names := make([]string, len(clouds))
	for i, c := range clouds {
		names[i] = string(c)
	}
	key := strings.Join(names, "+")
	if isOffline {
		key += ".offline"
	}
	return key
}

// BackendRequest is what a run says about the backend beside the
// blueprint: the command line's --backend and --backend-config, and which
// deployment it is.
type BackendRequest struct {
	// Type replaces the blueprint's backend type; "" keeps it.
	Type string
	// Config are "KEY=VALUE" settings, or files of them, applied in order
	// over the blueprint's; keys are terraform's setting names or the
	// blueprint's field names.
	Config []string
	// Offline runs keep state in the workdir unless Type is given.
	Offline bool
	// Target is the cloud --cloud moved every resource to, if any.
	Target blueprints.Cloud
}

// ResolveBackend decides the deployment's backend: the blueprint's,
// overridden or completed by --backend and --backend-config. Offline runs
// keep state in the workdir unless --backend is given, so a preview never
// needs a cloud account and never writes fake state next to real state.
// Mistakes in the flags are BackendConfigErrors; a blueprint backend that
// cannot serve this deployment is a diagnostic at its position.
func ResolveBackend(bp *blueprints.Blueprint, clouds []blueprints.Cloud, req BackendRequest) (*Backend, diag.Diagnostics, error) {
	typ := blueprints.BackendLocal
	var base *blueprints.Backend
	if bp.Backend != nil && !req.Offline {
		base, typ = bp.Backend, bp.Backend.Type
	}
	if req.Type != "" {
		t := blueprints.BackendType(req.Type)
		known := false
		for _, k := range blueprints.BackendTypes {
			known = known || k == t
		}
		if !known {
			return nil, nil, configErrorf("unknown backend %q for --backend; allowed: local, s3, gcs, azurerm", req.Type)
		}
		base = nil
		if bp.Backend != nil && bp.Backend.Type == t {
			base = bp.Backend
		}
		typ = t
	}
	if typ == blueprints.BackendLocal {
		switch {
		case len(req.Config) == 0:
			return &Backend{Type: typ, Config: map[string]string{}}, nil, nil
		case req.Offline && req.Type == "" && bp.Backend != nil:
			return nil, nil, configErrorf("offline runs keep state in the workdir: to use the blueprint's %s backend offline, add --backend %s", bp.Backend.Type, bp.Backend.Type)
		case req.Type == "" && bp.Backend == nil:
			return nil, nil, configErrorf("--backend-config needs a backend: add --backend s3|gcs|azurerm, or a backend to the blueprint")
		}
		return nil, nil, configErrorf("the local backend keeps state in the workdir and takes no --backend-config")
	}
	b := &Backend{Type: typ, Config: map[string]string{}}
	keyFrom := ""
	if base != nil {
		for name, v := range map[string]string{
			"bucket": base.Bucket, "key": base.Key, "region": base.Region, "prefix": base.Prefix,
			"storage_account": base.StorageAccount, "container": base.Container, "resource_group": base.ResourceGroup,
		} {
			if v == "" {
				continue
			}
			if a, ok := aliases[typ][name]; ok {
				name = a
			}
			b.Config[name] = v
			if name == keyName[typ] {
				keyFrom = "blueprint"
			}
		}
	}
	settings, err := expandFiles(req.Config)
	if err != nil {
		return nil, nil, err
	}
	for _, kv := range settings {
		name, v, ok := strings.Cut(kv, "=")
		if !ok || !settingNameRE.MatchString(name) {
			return nil, nil, configErrorf("--backend-config %q: want KEY=VALUE with a setting of terraform's %s backend, e.g. %s=...", name+"=...", typ, required[typ][0][0])
		}
		if a, ok := aliases[typ][name]; ok {
			name = a
		}
		if _, secret := credentialSettings[typ][name]; secret {
			return nil, nil, configErrorf("--backend-config %s: credentials are never passed as backend settings (terraform would keep them in .terraform and show them in process lists); use %s", name, credentialHint[typ])
		}
		if want, ok := fixed[typ][name]; ok && v != want {
			return nil, nil, configErrorf("--backend-config %s=%s: skyform keeps %s state encrypted and locked (%s=%s)", name, v, typ, name, want)
		}
		b.Config[name] = v
		if name == keyName[typ] {
			keyFrom = "flag"
		}
	}
	for _, r := range required[typ] {
		if b.Config[r[0]] == "" {
			return nil, nil, configErrorf("the %s backend needs %s: set backend.%s in the blueprint or pass --backend-config %s=...", typ, r[1], r[1], r[1])
		}
	}
	for k, v := range fixed[typ] {
		b.Config[k] = v
	}
	key := keyName[typ]
	if keyFrom == "" {
		name := bp.Name + "/" + DeploymentName(clouds, req.Offline)
		if typ != blueprints.BackendGCS {
			name += "/terraform.tfstate"
		}
		b.Config[key] = name
	}
	var ds diag.Diagnostics
	if keyFrom == "blueprint" {
		field := key
		if req.Offline {
			ds = ds.Errorf(bp.Backend.At(field), "backend."+field, fmt.Sprintf("backend.%s names the real deployment's state", field),
				"an offline run must not write its placeholder state there: remove %s to let skyform derive one per deployment (offline ones end in .offline), or pass --backend-config %s=... for this run", field, field)
		} else if req.Target != "" && !sameClouds(bp.CloudsUsed(), clouds) {
			ds = ds.Errorf(bp.Backend.At(field), "backend."+field, fmt.Sprintf("backend.%s would be shared by every placement", field),
				"with --cloud %s this is another deployment than the blueprint's own, and it must not use the same state: remove %s to let skyform derive one per placement (%s/%s), or pass --backend-config %s=... for this run",
				req.Target, field, bp.Name, DeploymentName(clouds, false), field)
		}
	}
	return b, ds, nil
}

// expandFiles replaces each --backend-config that is a file (no "=", as
// for terraform) by its settings, so that every setting is checked the
// same way and the init stamp sees the file's content.
func expandFiles(items []string) ([]string, error) {
	var out []string
	for _, it := range items {
		if strings.Contains(it, "=") {
			out = append(out, it)
			continue
		}
		kvs, err := readBackendFile(it)
		if err != nil {
			return nil, err
		}
		out = append(out, kvs...)
	}
	return out, nil
}

// readBackendFile reads a backend settings file (name = value lines, as
// terraform's -backend-config=FILE takes): constant strings, numbers and
// booleans become their value, anything else (an endpoints object) its
// source text, which terraform parses as a constant expression.
func readBackendFile(path string) ([]string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, configErrorf("cannot read --backend-config file: %v", err)
	}
	f, ds := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if ds.HasErrors() {
		return nil, configErrorf("--backend-config %s: %s", path, ds.Error())
	}
	body := f.Body.(*hclsyntax.Body)
	if len(body.Blocks) > 0 {
		b := body.Blocks[0]
		return nil, configErrorf("--backend-config %s:%d: a settings file holds name = value lines, not %s blocks", path, b.TypeRange.Start.Line, b.Type)
	}
	names := make([]string, 0, len(body.Attributes))
	for name := range body.Attributes {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []string
	for _, name := range names {
		a := body.Attributes[name]
		v, vds := a.Expr.Value(nil)
		if vds.HasErrors() {
			return nil, configErrorf("--backend-config %s: %s", path, vds.Error())
		}
		text := strings.TrimSpace(string(a.Expr.Range().SliceBytes(src)))
		if t := v.Type(); v.IsKnown() && !v.IsNull() && (t == cty.String || t == cty.Bool || t == cty.Number) {
			sv, err := convert.Convert(v, cty.String)
			if err == nil {
				text = sv.AsString()
			}
		}
		out = append(out, name+"="+text)
	}
	return out, nil
}

func sameClouds(a, b []blueprints.Cloud) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// file returns the partial backend block, written with the rest of the
// generated files (none for the local backend, terraform's default).
func (b *Backend) File() ([]byte, error) {
	if b.Type == blueprints.BackendLocal && !b.Encrypted {
		return nil, nil
	}
	cfg := &tfir.Config{Header: "Generated by skyform. The backend's settings are given to terraform init\n(-backend-config), so the compiled configuration stays the same wherever its\nstate lives."}
	t := tfir.NewBlock("terraform")
	if b.Encrypted {
		cfg.Header = "Generated by skyform. The state is encrypted at rest: skyform serves it to\nterraform on 127.0.0.1 for the length of a run, through the TF_HTTP_*\nenvironment, and keeps it encrypted in " + EncryptedStateFile + "."
		t.Nest("backend", "http")
	} else {
		t.Nest("backend", string(b.Type))
	}
	cfg.File("backend").Add(t)
	files, err := cfg.HCL()
	if err != nil {
		return nil, fmt.Errorf("cannot write the backend block: %w", err)
	}
	return files[BackendFile], nil
}

// initInputs are the lines the init stamp hashes for the backend: none for
// local, so workdirs from before backends existed are not initialised again.
func (b *Backend) InitInputs() []string {
	if b.Encrypted {
		return []string{"backend http (encrypted " + string(b.Type) + " state)"}
	}
	if b.Type == blueprints.BackendLocal {
		return nil
	}
	out := []string{"backend " + string(b.Type)}
	for _, s := range b.Settings() {
		out = append(out, "backend-config "+s)
	}
	return out
}

func ReadBackendRecord(dir string) (*Backend, error) {
	data, err := os.ReadFile(filepath.Join(dir, BackendRecordName))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the workdir's backend record: %w", err)
	}
	var b Backend
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("the workdir's backend record %s is damaged: %w", filepath.Join(dir, BackendRecordName), err)
	}
	if b.Config == nil {
		b.Config = map[string]string{}
	}
	return &b, nil
}

func (b *Backend) Record() []byte {
	data, _ := json.MarshalIndent(b, "", "  ")
	return append(data, '\n')
}

func LocalStateResources(dir string) (int, string, error) {
	p := filepath.Join(dir, "terraform.tfstate")
	data, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return 0, p, nil
	}
	if err != nil {
		return 0, p, fmt.Errorf("cannot read state: %w", err)
	}
	n, err := CountResources(data)
	return n, p, err
}

func CountResources(state []byte) (int, error) {
	if len(bytes.TrimSpace(state)) == 0 {
		return 0, nil
	}
	var st struct {
		Resources []struct {
			Mode string `json:"mode"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(state, &st); err != nil {
		return 0, fmt.Errorf("cannot read state: %w", err)
	}
	n := 0
	for _, r := range st.Resources {
		if r.Mode == "managed" {
			n++
		}
	}
	return n, nil
}
