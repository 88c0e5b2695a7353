package schemaset

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"
)

// Providers are the local names of the providers served offline; the
// offline package pairs each with the release its schema comes from.
var Providers = []string{"aws", "google", "azurerm"}

// Kind says whether a type is a managed resource or a data source.
type Kind string

const (
	Resource Kind = "resource"
	Data     Kind = "data"
)

// Type is one resource or data-source type, e.g. {Resource, "aws_vpc"}.
type Type struct {
	Kind Kind
	Name string
}

// String renders the type the way it is written in a .tf file.
func (t Type) String() string { return fmt.Sprintf("%s %q", t.Kind, t.Name) }

// Provider is the local name of the provider that serves the type, by
// terraform's own rule: the type name up to its first underscore.
func (t Type) Provider() string {
	p, _, _ := strings.Cut(t.Name, "_")
	return p
}

// Builtin reports whether terraform itself serves the type
// (terraform_data), so no provider schema is needed.
func (t Type) Builtin() bool { return t.Provider() == "terraform" }

func less(a, b Type) bool {
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	return a.Kind < b.Kind
}

// Use is one place where a module uses a type.
type Use struct {
	Type
	// File is relative to the directory given to Scan, slash-separated.
	File string
	Line int
}

// Where renders the use as file:line.
func (u Use) Where() string { return fmt.Sprintf("%s:%d", u.File, u.Line) }

// Scan returns every resource and data block of every .tf file under root,
// sorted by type, file and line. A file that does not parse is an error:
// its types cannot be known.
func Scan(root string) ([]Use, error) {
	var uses []Use
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Ext(p) != ".tf" {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		f, diags := hclsyntax.ParseConfig(src, rel, hcl.InitialPos)
		if diags.HasErrors() {
			return fmt.Errorf("cannot scan %s: %s", p, diags.Error())
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if (b.Type != string(Resource) && b.Type != string(Data)) || len(b.Labels) == 0 {
				continue
			}
			uses = append(uses, Use{
				Type: Type{Kind: Kind(b.Type), Name: b.Labels[0]},
				File: rel,
				Line: b.TypeRange.Start.Line,
			})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot scan modules in %s: %w", root, err)
	}
	sort.Slice(uses, func(i, j int) bool {
		a, b := uses[i], uses[j]
		if a.Type != b.Type {
			return less(a.Type, b.Type)
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return uses, nil
}

// Provisional returns the types the design names for each kind on each
// cloud. They are carried even before (or after) a module uses them, so the
// engineers writing modules never wait for a regeneration to validate.
func Provisional() []Type {
	res := func(names ...string) []Type {
		out := make([]Type, len(names))
		for i, n := range names {
			out[i] = Type{Resource, n}
		}
		return out
	}
	data := func(names ...string) []Type {
		out := make([]Type, len(names))
		for i, n := range names {
			out[i] = Type{Data, n}
		}
		return out
	}
	var out []Type
	out = append(out, res(
		"aws_vpc", "aws_subnet", "aws_security_group",
		"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
		"aws_sqs_queue", "aws_sqs_queue_redrive_allow_policy",
		"aws_lambda_function", "aws_lambda_function_url", "aws_lambda_event_source_mapping",
		"aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
		"aws_db_instance", "aws_db_subnet_group", "aws_eks_cluster", "aws_eks_node_group",
	)...)
	out = append(out, data(
		"aws_availability_zones", "aws_iam_policy_document", "aws_partition",
		"aws_region", "aws_caller_identity",
	)...)
	out = append(out, res(
		"google_compute_network", "google_compute_subnetwork", "google_compute_global_address",
		"google_service_networking_connection", "google_vpc_access_connector",
		"google_pubsub_topic", "google_pubsub_subscription",
		"google_pubsub_topic_iam_member", "google_pubsub_subscription_iam_member",
		"google_cloudfunctions2_function", "google_cloud_run_service_iam_member",
		"google_cloud_run_v2_service_iam_member", "google_storage_bucket",
		"google_storage_bucket_object", "google_service_account", "google_project_iam_member",
		"google_sql_database_instance", "google_sql_database", "google_sql_user",
		"google_secret_manager_secret", "google_container_cluster", "google_container_node_pool",
	)...)
	out = append(out, data("google_project", "google_client_config")...)
	out = append(out, res(
		"azurerm_resource_group", "azurerm_virtual_network", "azurerm_subnet",
		"azurerm_network_security_group", "azurerm_subnet_network_security_group_association",
		"azurerm_private_dns_zone", "azurerm_private_dns_zone_virtual_network_link",
		"azurerm_servicebus_namespace", "azurerm_servicebus_queue", "azurerm_service_plan",
		"azurerm_storage_account", "azurerm_linux_function_app",
		"azurerm_function_app_flex_consumption", "azurerm_storage_container",
		"azurerm_role_assignment", "azurerm_user_assigned_identity",
		"azurerm_postgresql_flexible_server", "azurerm_postgresql_flexible_server_database",
		"azurerm_postgresql_flexible_server_active_directory_administrator",
		"azurerm_mysql_flexible_server", "azurerm_mysql_flexible_database",
		"azurerm_key_vault", "azurerm_key_vault_secret", "azurerm_management_lock",
		"azurerm_kubernetes_cluster", "azurerm_kubernetes_cluster_node_pool",
	)...)
	out = append(out, data("azurerm_client_config", "azurerm_subscription")...)
	return out
}

// Want returns the types provider must carry: those of uses and of
// Provisional that it serves, sorted and without duplicates.
func Want(uses []Use, provider string) []Type {
	seen := map[Type]bool{}
	var out []Type
	add := func(t Type) {
		if t.Provider() == provider && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, u := range uses {
		add(u.Type)
	}
	for _, t := range Provisional() {
		add(t)
	}
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

// MissingError lists the types a source schema does not define.
type MissingError struct {
	Provider string
	Types    []Type
}

func (e *MissingError) Error() string {
	names := make([]string, len(e.Types))
	for i, t := range e.Types {
		names[i] = t.String()
	}
	return fmt.Sprintf("the %s schema does not define %s", e.Provider, strings.Join(names, ", "))
}

// Filter cuts provider's configuration schema and the wanted types out of
// src, the output of `terraform providers schema -json` (plain or gzipped),
// and returns them gzipped as one tfjson.ProviderSchema. A wanted type that
// src does not define is a *MissingError.
func Filter(src []byte, provider string, want []Type) ([]byte, error) {
	full, err := readAll(src)
	if err != nil {
		return nil, err
	}
	var all tfjson.ProviderSchemas
	if err := json.Unmarshal(full, &all); err != nil {
		return nil, fmt.Errorf("cannot decode provider schemas: %w", err)
	}
	var ps *tfjson.ProviderSchema
	for addr, s := range all.Schemas {
		// The host is whatever the source was installed from; namespace and
		// type are what identify the provider.
		if strings.HasSuffix(addr, "/hashicorp/"+provider) {
			ps = s
		}
	}
	if ps == nil {
		return nil, fmt.Errorf("provider schemas do not include hashicorp/%s", provider)
	}
	out := &tfjson.ProviderSchema{
		ConfigSchema:      ps.ConfigSchema,
		ResourceSchemas:   map[string]*tfjson.Schema{},
		DataSourceSchemas: map[string]*tfjson.Schema{},
	}
	missing := &MissingError{Provider: provider}
	for _, t := range want {
		from, to := ps.ResourceSchemas, out.ResourceSchemas
		if t.Kind == Data {
			from, to = ps.DataSourceSchemas, out.DataSourceSchemas
		}
		s, ok := from[t.Name]
		if !ok {
			missing.Types = append(missing.Types, t)
			continue
		}
		to[t.Name] = s
	}
	if len(missing.Types) > 0 {
		return nil, missing
	}
	if out.ConfigSchema != nil {
		stripBlock(out.ConfigSchema.Block)
	}
	for _, s := range out.ResourceSchemas {
		stripBlock(s.Block)
	}
	for _, s := range out.DataSourceSchemas {
		stripBlock(s.Block)
	}
	js, err := json.Marshal(out) // maps marshal with sorted keys
	if err != nil {
		return nil, fmt.Errorf("cannot encode the %s schema: %w", provider, err)
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	// The zero header (no name, no time) keeps the bytes reproducible.
	if _, err := zw.Write(js); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Decode reads one file written by Filter.
func Decode(gz []byte) (*tfjson.ProviderSchema, error) {
	js, err := readAll(gz)
	if err != nil {
		return nil, err
	}
	var ps tfjson.ProviderSchema
	if err := json.Unmarshal(js, &ps); err != nil {
		return nil, fmt.Errorf("cannot decode provider schema: %w", err)
	}
	return &ps, nil
}

func readAll(src []byte) ([]byte, error) {
	if len(src) < 2 || src[0] != 0x1f || src[1] != 0x8b {
		return src, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("cannot read gzipped schema: %w", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("cannot read gzipped schema: %w", err)
	}
	return out, nil
}

// stripBlock drops descriptions, which terraform needs for nothing that
// skyform does.
func stripBlock(b *tfjson.SchemaBlock) {
	if b == nil {
		return
	}
	b.Description, b.DescriptionKind = "", ""
	for _, a := range b.Attributes {
		a.Description, a.DescriptionKind = "", ""
	}
	for _, nb := range b.NestedBlocks {
		stripBlock(nb.Block)
	}
}
