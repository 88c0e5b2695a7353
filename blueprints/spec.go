package blueprints

import "time"

// FieldType is the type of a blueprint field.
type FieldType int

// The field types.
const (
	TString FieldType = iota
	TInt
	TBool
	TDuration
	// TObject has the fixed fields listed in Field.Fields.
	TObject
	// TMap maps user-chosen names to Field.Elem.
	TMap
	// TList is a list of Field.Elem.
	TList
	// TAny is any YAML value (overrides).
	TAny
)

// Field describes one field of the blueprint format.
type Field struct {
	Name     string
	Type     FieldType
	Doc      string
	Required bool
	// Enum lists the allowed values of a string field.
	Enum []string
	// Pattern is a regular expression a string (or a map key) must match.
	Pattern string
	// Min and Max bound an int field; MinDur and MaxDur a duration field.
	Min, Max       int64
	MinDur, MaxDur time.Duration
	// Default is the value used when the field is absent (documentation and schema).
	Default any
	Fields  []Field
	Elem    *Field
	// KeyPattern constrains the keys of a TMap.
	KeyPattern string
	KeyDoc     string
	// OneOrMany lets a TList also be written as a single element.
	OneOrMany bool
}

func (f *Field) child(name string) *Field {
	for i := range f.Fields {
		if f.Fields[i].Name == name {
			return &f.Fields[i]
		}
	}
	return nil
}

func (f *Field) names() []string {
	out := make([]string, len(f.Fields))
	for i, c := range f.Fields {
		out[i] = c.Name
	}
	return out
}

const (
	namePattern      = `^[a-z]([a-z0-9-]*[a-z0-9])?$`
	labelKeyPattern  = `^[a-z][a-z0-9_-]{0,62}$`
	labelValPattern  = `^[a-z0-9_-]{0,63}$`
	envNamePattern   = `^[A-Za-z_][A-Za-z0-9_]*$`
	overrideKeyRegex = `^[a-z_][a-z0-9_]*$`
	k8sVersionRegex  = `^1\.[0-9]{2}$`
	handlerPattern   = `^[A-Za-z_][A-Za-z0-9_/.-]*\.[A-Za-z_$][A-Za-z0-9_$]*$`
	poolNamePattern  = `^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$`
	maxBlueprintName = 20
	maxResourceName  = 30
)

var cloudNames = []string{string(AWS), string(GCP), string(Azure)}

func stringsOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Database versions every cloud offers.
var databaseVersions = map[Engine][]string{
	Postgres: {"13", "14", "15", "16", "17"},
	MySQL:    {"8.0", "8.4"},
}

// KubernetesVersions are the minor versions accepted for clusters.
var KubernetesVersions = []string{"1.30", "1.31", "1.32", "1.33"}

var commonResourceFields = []Field{
	{Name: "kind", Type: TString, Required: true, Enum: stringsOf(Kinds), Doc: "what the resource is"},
	{Name: "cloud", Type: TString, Enum: cloudNames, Doc: "places this resource on another cloud than the blueprint's default"},
	{Name: "overrides", Type: TObject, Doc: "per-cloud escape hatch: arguments passed to that cloud's module unchanged (keys are the module's variable names)",
		Fields: []Field{
			{Name: "aws", Type: TMap, KeyPattern: overrideKeyRegex, Elem: &Field{Type: TAny}},
			{Name: "gcp", Type: TMap, KeyPattern: overrideKeyRegex, Elem: &Field{Type: TAny}},
			{Name: "azure", Type: TMap, KeyPattern: overrideKeyRegex, Elem: &Field{Type: TAny}},
		}},
	usageField,
	{Name: "renamed_from", Type: TList, OneOrMany: true, Elem: &Field{Type: TString, Pattern: namePattern},
		Doc: "the resource's former name (or its former names, oldest first): terraform moves its state to the new name, and its cloud objects keep the names they were created with"},
}

func kindFields(extra ...Field) []Field {
	return append(append([]Field{}, commonResourceFields...), extra...)
}

// kindSpecs lists the fields of each kind, including the common ones.
var kindSpecs = map[Kind]*Field{
	KindQueue: {Type: TObject, Fields: kindFields(
		Field{Name: "ordering", Type: TString, Enum: []string{"standard", "fifo"}, Default: "standard", Doc: "fifo keeps order and removes duplicates where the cloud can"},
		Field{Name: "visibility_timeout", Type: TDuration, MinDur: 0, MaxDur: 12 * time.Hour, Default: "30s", Doc: "how long a received message stays hidden from other consumers"},
		Field{Name: "retention", Type: TDuration, MinDur: time.Minute, MaxDur: 14 * 24 * time.Hour, Default: "4d", Doc: "how long an undelivered message is kept"},
		Field{Name: "dead_letter", Type: TObject, Doc: "moves a message aside after repeated failed deliveries", Fields: []Field{
			{Name: "max_deliveries", Type: TInt, Required: true, Min: 1, Max: 1000, Doc: "deliveries before a message is dead-lettered"},
		}},
		Field{Name: "encryption", Type: TBool, Default: true, Doc: "encryption at rest with a cloud-managed key"},
	)},
	KindFunction: {Type: TObject, Fields: kindFields(
		Field{Name: "runtime", Type: TString, Required: true, Enum: stringsOf(Runtimes), Doc: "language runtime"},
		Field{Name: "source", Type: TString, Required: true, Doc: "directory holding the code, relative to the blueprint; packaged into a deterministic zip"},
		Field{Name: "handler", Type: TString, Pattern: handlerPattern, Default: "main.handler", Doc: "entry point as <file>.<function>; ignored for go"},
		Field{Name: "memory_mb", Type: TInt, Min: 128, Max: 10240, Default: 256, Doc: "memory in MiB"},
		Field{Name: "timeout", Type: TDuration, MinDur: time.Second, MaxDur: time.Hour, Default: "30s", Doc: "longest run of one invocation"},
		Field{Name: "concurrency", Type: TInt, Min: 0, Max: 1000, Default: 0, Doc: "most instances at once; 0 leaves the cloud's default"},
		Field{Name: "env", Type: TMap, KeyPattern: envNamePattern, KeyDoc: "environment variable name", Elem: &Field{Type: TString, Doc: "value; may hold references ${resource.attribute}"}, Doc: "environment variables"},
		Field{Name: "triggers", Type: TList, Doc: "what starts the function", Elem: &Field{Type: TObject, Fields: []Field{
			{Name: "queue", Type: TString, Pattern: namePattern, Doc: "a queue resource of this blueprint"},
			{Name: "batch_size", Type: TInt, Min: 1, Max: 1000, Default: 10, Doc: "messages per invocation (queue triggers)"},
			{Name: "http", Type: TObject, Doc: "expose the function over HTTPS", Fields: []Field{
				{Name: "public", Type: TBool, Default: false, Doc: "allow unauthenticated calls"},
			}},
			{Name: "schedule", Type: TString, Doc: "run at the times of a cron schedule: minute hour day-of-month month day-of-week in standard syntax (* , - / and names such as SAT or JAN), e.g. \"0 14 * * SAT\""},
			{Name: "timezone", Type: TString, Default: "UTC", Doc: "the IANA time zone the schedule's times are in, e.g. Europe/Berlin (schedule triggers)"},
		}}},
	)},
	KindDatabase: {Type: TObject, Fields: kindFields(
		Field{Name: "engine", Type: TString, Required: true, Enum: []string{string(Postgres), string(MySQL)}, Doc: "database engine"},
		Field{Name: "version", Type: TString, Doc: "engine major version: postgres 13-17 (default 16), mysql 8.0 or 8.4 (default 8.0)"},
		Field{Name: "size", Type: TString, Enum: stringsOf(Sizes), Default: "small", Doc: "machine size, mapped per cloud"},
		Field{Name: "storage_gb", Type: TInt, Min: 20, Max: 16384, Default: 20, Doc: "storage in GiB"},
		Field{Name: "high_availability", Type: TBool, Default: false, Doc: "a standby in another zone"},
		Field{Name: "backup_retention_days", Type: TInt, Min: 1, Max: 35, Default: 7, Doc: "days automated backups are kept"},
		Field{Name: "deletion_protection", Type: TBool, Default: true, Doc: "refuse to delete the database"},
	)},
	KindCluster: {Type: TObject, Fields: kindFields(
		Field{Name: "kubernetes", Type: TString, Enum: KubernetesVersions, Default: "1.32", Doc: "Kubernetes minor version"},
		Field{Name: "private_endpoint", Type: TBool, Default: false, Doc: "API server reachable only from the private network"},
		Field{Name: "node_pools", Type: TMap, Required: true, KeyPattern: poolNamePattern, KeyDoc: "node pool name", Doc: "groups of nodes", Elem: &Field{Type: TObject, Fields: []Field{
			{Name: "size", Type: TString, Enum: stringsOf(Sizes), Default: "medium", Doc: "node size, mapped per cloud"},
			{Name: "min", Type: TInt, Min: 0, Max: 1000, Default: 1, Doc: "fewest nodes"},
			{Name: "max", Type: TInt, Min: 1, Max: 1000, Default: 3, Doc: "most nodes"},
			{Name: "spot", Type: TBool, Default: false, Doc: "spot / preemptible nodes"},
		}}},
	)},
}

// topSpec is the top level of a blueprint.
var topSpec = &Field{Type: TObject, Fields: []Field{
	{Name: "blueprint", Type: TString, Required: true, Pattern: namePattern, Doc: "the blueprint's name: lower-case letters, digits and dashes, at most 20 characters"},
	{Name: "cloud", Type: TString, Enum: cloudNames, Default: "aws", Doc: "default placement of every resource"},
	{Name: "region", Type: TString, Default: "us-east", Doc: "a neutral region (us-east, europe-west, ...) or a cloud's own region name"},
	{Name: "labels", Type: TMap, KeyPattern: labelKeyPattern, KeyDoc: "label key", Elem: &Field{Type: TString, Pattern: labelValPattern}, Doc: "labels put on every cloud resource"},
	{Name: "backend", Type: TObject, Doc: "where terraform keeps the deployment's state (default: local, in the workdir); only the fields of the chosen type are allowed", Fields: backendFields()},
	{Name: "state", Type: TObject, Doc: "how skyform keeps the deployment's terraform state", Fields: []Field{
		{Name: "encryption", Type: TObject, Doc: "encrypt the state at rest (AES-256-GCM) with a key derived from a passphrase; the local backend only", Fields: []Field{
			{Name: "passphrase_env", Type: TString, Required: true, Pattern: envNamePattern, Doc: "the environment variable holding the passphrase; a run without it fails before terraform starts"},
		}},
	}},
	{Name: "modules", Type: TString, Doc: "a module config (skyform.modules.yaml), relative to the blueprint: a platform team's own Terraform modules for kinds on clouds"},
	{Name: "imports", Type: TString, Doc: "an import file (skyform.imports.yaml, written by skyform import), relative to the blueprint: the existing cloud objects terraform imports into each resource's module"},
	{Name: "policy", Type: TString, Doc: "the policy file the blueprint is checked against, relative to the blueprint (docs/policy.md); --policy overrides it"},
	{Name: "resources", Type: TMap, KeyPattern: namePattern, KeyDoc: "resource name", Doc: "the neutral resources, by name (required unless the blueprint uses a template)", Elem: &Field{Type: TObject, Doc: "a resource; its fields depend on kind"}},
	{Name: "uses", Type: TString, Doc: "the template the blueprint is built from, at a pinned version: ./DIR@1.2.0, git+URL//DIR@v1.2.0 (or @COMMIT), or a starter NAME@1.0.0; its resources and labels are added to the blueprint's"},
	{Name: "with", Type: TMap, KeyPattern: `^[a-z][a-z0-9_]*$`, KeyDoc: "parameter name", Elem: &Field{Type: TAny}, Doc: "the template's parameters: name → value of the parameter's type"},
}}

const (
	// stateKeyPattern is a relative object path: segments joined by single
	// slashes, none empty.
	stateKeyPattern       = `^[A-Za-z0-9_.=@+-]+(/[A-Za-z0-9_.=@+-]+)*$`
	s3BucketPattern       = `^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`
	gcsBucketPattern      = `^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$`
	awsRegionPattern      = `^[a-z]{2}(-[a-z]+)+-[0-9]+$`
	storageAccountPattern = `^[a-z0-9]{3,24}$`
	containerPattern      = `^[a-z0-9](-?[a-z0-9])+$`
	resourceGroupPattern  = `^[A-Za-z0-9_().-]{0,89}[A-Za-z0-9_()-]$`
)

var backendTypeField = Field{Name: "type", Type: TString, Required: true, Enum: stringsOf(BackendTypes), Doc: "local keeps state in the workdir; s3, gcs and azurerm keep it in a bucket or blob container, locked while terraform writes it"}

// backendSpecs lists the fields of each backend type, type included.
var backendSpecs = map[BackendType]*Field{
	BackendLocal: {Type: TObject, Fields: []Field{backendTypeField}},
	BackendS3: {Type: TObject, Fields: []Field{
		backendTypeField,
		{Name: "bucket", Type: TString, Required: true, Pattern: s3BucketPattern, Doc: "the S3 bucket holding the state (skyform state bootstrap --cloud aws creates it)"},
		{Name: "region", Type: TString, Pattern: awsRegionPattern, Doc: "the bucket's AWS region, e.g. eu-west-1 (default: AWS_REGION from the environment)"},
		{Name: "key", Type: TString, Pattern: stateKeyPattern, Doc: "the state object's key: segments of letters, digits and _.=@+- joined by single slashes (default: <blueprint>/<clouds>/terraform.tfstate, one per deployment)"},
	}},
	BackendGCS: {Type: TObject, Fields: []Field{
		backendTypeField,
		{Name: "bucket", Type: TString, Required: true, Pattern: gcsBucketPattern, Doc: "the GCS bucket holding the state (skyform state bootstrap --cloud gcp creates it)"},
		{Name: "prefix", Type: TString, Pattern: stateKeyPattern, Doc: "the object prefix the state lives under: segments of letters, digits and _.=@+- joined by single slashes (default: <blueprint>/<clouds>, one per deployment)"},
	}},
	BackendAzure: {Type: TObject, Fields: []Field{
		backendTypeField,
		{Name: "storage_account", Type: TString, Required: true, Pattern: storageAccountPattern, Doc: "the Azure storage account: 3 to 24 lower-case letters and digits"},
		{Name: "container", Type: TString, Required: true, Pattern: containerPattern, Doc: "the blob container holding the state: 3 to 63 lower-case letters, digits and single dashes, starting and ending with a letter or digit"},
		{Name: "resource_group", Type: TString, Pattern: resourceGroupPattern, Doc: "the storage account's resource group"},
		{Name: "key", Type: TString, Pattern: stateKeyPattern, Doc: "the state blob's name: segments of letters, digits and _.=@+- joined by single slashes (default: <blueprint>/<clouds>/terraform.tfstate, one per deployment)"},
	}},
}

// backendFields is every backend field once, for the field table and the
// JSON Schema; which of them a type allows is in backendSpecs.
func backendFields() []Field {
	var out []Field
	seen := map[string]bool{}
	for _, t := range BackendTypes {
		for _, f := range backendSpecs[t].Fields {
			if !seen[f.Name] {
				seen[f.Name] = true
				f.Required = f.Name == "type"
				out = append(out, f)
			}
		}
	}
	return out
}
