package blueprints

import (
	"strings"
	"time"

	"github.com/skyform/skyform/internal/diag"
)

// Cloud names a cloud a resource can be placed on.
type Cloud string

// The clouds skyform lowers to.
const (
	AWS   Cloud = "aws"
	GCP   Cloud = "gcp"
	Azure Cloud = "azure"
)

// Clouds lists every cloud in a fixed order (outputs are ordered by it).
var Clouds = []Cloud{AWS, GCP, Azure}

// Kind is the kind of a neutral resource.
type Kind string

// The kinds a blueprint can declare.
const (
	KindQueue    Kind = "queue"
	KindFunction Kind = "function"
	KindDatabase Kind = "database"
	KindCluster  Kind = "cluster"
)

// Kinds lists every kind in a fixed order.
var Kinds = []Kind{KindCluster, KindDatabase, KindFunction, KindQueue}

// Size is a neutral machine size, mapped per cloud and per kind.
type Size string

// The neutral sizes.
const (
	Small  Size = "small"
	Medium Size = "medium"
	Large  Size = "large"
	XLarge Size = "xlarge"
)

// Sizes lists the neutral sizes from smallest to largest.
var Sizes = []Size{Small, Medium, Large, XLarge}

// Blueprint is the neutral model of one blueprint file: decoded, validated,
// with every reference resolved. Lowering reads it and never changes it.
type Blueprint struct {
	Name string
	// File is the blueprint's path as given on the command line; ranges use it.
	File string
	// Dir is the directory holding the blueprint; function sources are relative to it.
	Dir    string
	Cloud  Cloud
	Region Region
	Labels []Label
	// Resources are sorted by name.
	Resources []*Resource
	// Backend is where terraform keeps the deployment's state; nil means
	// the local backend (state in the workdir).
	Backend *Backend
	// StateEncryption encrypts the state at rest; nil keeps it as
	// terraform writes it.
	StateEncryption *StateEncryption
	// Modules is the module config that substitutes a platform team's
	// modules for embedded ones, resolved against the blueprint's
	// directory; empty when there is none. --modules replaces it.
	Modules string
	// ModulesRange is where the blueprint names it.
	ModulesRange diag.Range
	// Imports is the import file (written by skyform import) naming the
	// cloud objects terraform imports into the resources' modules,
	// resolved against the blueprint's directory; empty when there is none.
	Imports string
	// ImportsRange is where the blueprint names it.
	ImportsRange diag.Range
	// Source is the blueprint's bytes, kept to print snippets under diagnostics.
	Source []byte
	// Policy is the policy file the blueprint names, as written (relative
	// to Dir); "" when it names none.
	Policy string
	// Fields holds the position of each top-level field written ("cloud",
	// "labels", "labels.team"), as Resource.Fields does below a resource.
	Fields map[string]diag.Range
	// Uses is the template the blueprint is built from; nil when none.
	Uses *TemplateUse
	// Extra holds other files diagnostics may point into (the template, the
	// lock file), by the name ranges use.
	Extra map[string][]byte

	// byName indexes Resources; built on first lookup.
	byName map[string]*Resource
}

// Resource looks a resource up by name. The index behind it is built on
// first use, so the first lookup must not race with another.
func (b *Blueprint) Resource(name string) *Resource {
	if len(b.byName) != len(b.Resources) {
		b.byName = make(map[string]*Resource, len(b.Resources))
		for _, r := range b.Resources {
			b.byName[r.Name] = r
		}
	}
	return b.byName[name]
}

// At returns the range of a top-level field, falling back to its nearest
// written parent, then to the blueprint's name, then to the file's start.
func (b *Blueprint) At(field string) diag.Range {
	if rng, ok := nearestField(b.Fields, field); ok {
		return rng
	}
	if rng, ok := b.Fields["blueprint"]; ok {
		return rng
	}
	return diag.Range{File: b.File, Start: diag.Pos{Line: 1, Column: 1}}
}

// Placed returns the resources placed on cloud c, in name order.
func (b *Blueprint) Placed(c Cloud) []*Resource {
	var out []*Resource
	for _, r := range b.Resources {
		if r.Cloud == c {
			out = append(out, r)
		}
	}
	return out
}

// CloudsUsed returns the clouds that hold at least one resource, in Clouds order.
func (b *Blueprint) CloudsUsed() []Cloud {
	var out []Cloud
	for _, c := range Clouds {
		if len(b.Placed(c)) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// Retarget returns a copy of the blueprint with every resource placed on c,
// the way `--cloud c` moves a whole workload.
func (b *Blueprint) Retarget(c Cloud) *Blueprint {
	nb := *b
	nb.Cloud = c
	nb.byName = nil
	nb.Resources = make([]*Resource, len(b.Resources))
	for i, r := range b.Resources {
		nr := *r
		nr.Cloud = c
		nb.Resources[i] = &nr
	}
	return &nb
}

// BackendType names where terraform keeps state: terraform's own backend
// names.
type BackendType string

// The state backends.
const (
	BackendLocal BackendType = "local"
	BackendS3    BackendType = "s3"
	BackendGCS   BackendType = "gcs"
	BackendAzure BackendType = "azurerm"
)

// BackendTypes lists every backend type.
var BackendTypes = []BackendType{BackendLocal, BackendS3, BackendGCS, BackendAzure}

// Backend is the blueprint's state backend: only the fields its type uses
// are set. It names where the state lives, never credentials; the state
// object's key is derived per deployment unless the blueprint fixes it.
type Backend struct {
	Type BackendType
	// Bucket is the S3 or GCS bucket.
	Bucket string
	// Key is the state object's key (S3) or blob name (Azure).
	Key string
	// Region is the S3 bucket's AWS region.
	Region string
	// Prefix is the GCS object prefix the state lives under.
	Prefix string
	// StorageAccount, Container and ResourceGroup locate the Azure blob container.
	StorageAccount string
	Container      string
	ResourceGroup  string

	// Range is where the backend key stands in the blueprint.
	Range diag.Range
	// Fields holds the position of each field written, by name.
	Fields map[string]diag.Range
}

// At returns the range of a backend field, or of the backend key when the
// field was not written.
func (b *Backend) At(field string) diag.Range {
	if r, ok := b.Fields[field]; ok {
		return r
	}
	return b.Range
}

// Label is one key/value label, put on every cloud resource as a tag or label.
type Label struct {
	Key, Value string
}

// Region is a resolved region: a neutral region key (e.g. "europe-west") or a
// cloud's own region name together with the cloud it belongs to.
type Region struct {
	// Neutral is the neutral key when the blueprint named one, or the neutral
	// region a cloud-specific name belongs to.
	Neutral string
	// Native is set when the blueprint named a cloud's own region.
	Native      string
	NativeCloud Cloud
	Range       diag.Range
}

// Resource is one neutral resource. Exactly one of the kind-specific fields
// is set, matching Kind.
type Resource struct {
	Name  string
	Kind  Kind
	Cloud Cloud
	// Overrides are the per-cloud escape-hatch attributes, passed to that
	// cloud's module unchanged (keys sorted when emitted).
	Overrides map[Cloud]map[string]any

	Queue    *Queue
	Function *Function
	Database *Database
	Cluster  *Cluster

	// Usage holds the cost estimate's usage assumptions written in the
	// blueprint (usage.go); nil when there are none.
	Usage *Usage
	// RenamedFrom lists the resource's former names, oldest first. Its
	// module is moved from each to the next, and its cloud objects keep
	// the names of the first (OriginalName).
	RenamedFrom []string

	// Range is where the resource's name stands in the blueprint.
	Range diag.Range
	// Fields holds the position of each field that was written, keyed by its
	// path below the resource ("ordering", "dead_letter.max_deliveries",
	// "node_pools.spot-pool.size").
	Fields map[string]diag.Range
}

// ID is the resource's Terraform identifier: the name with dashes turned to
// underscores ("orders-db" becomes "orders_db"). Names are validated so that
// this never collides.
func (r *Resource) ID() string { return strings.ReplaceAll(r.Name, "-", "_") }

// OriginalName is the name the resource's cloud objects were created under:
// its oldest former name, or its name when it was never renamed. Cloud
// names, labels, package paths and the keys of maps inside modules use it,
// so a rename changes no cloud object and no address inside a module.
func (r *Resource) OriginalName() string {
	if len(r.RenamedFrom) > 0 {
		return r.RenamedFrom[0]
	}
	return r.Name
}

// OriginalID is OriginalName with dashes turned to underscores, for cloud
// names that allow no dash (a database's name inside its server).
func (r *Resource) OriginalID() string { return strings.ReplaceAll(r.OriginalName(), "-", "_") }

// Path is the data path of a field below the resource, for diagnostics.
func (r *Resource) Path(field string) string {
	if field == "" {
		return "resources." + r.Name
	}
	return "resources." + r.Name + "." + field
}

// At returns the range of a field, falling back to its nearest written
// parent and then to the resource's name.
func (r *Resource) At(field string) diag.Range {
	if rng, ok := nearestField(r.Fields, field); ok {
		return rng
	}
	return r.Range
}

// nearestField finds the position of a field or of its nearest written
// parent ("a.b.c", then "a.b", then "a").
func nearestField(fields map[string]diag.Range, field string) (diag.Range, bool) {
	for f := field; f != ""; {
		if rng, ok := fields[f]; ok {
			return rng, true
		}
		i := strings.LastIndexByte(f, '.')
		if i < 0 {
			break
		}
		f = f[:i]
	}
	return diag.Range{}, false
}

// Queue is a message queue.
type Queue struct {
	FIFO              bool
	VisibilityTimeout time.Duration
	Retention         time.Duration
	// DeadLetter is nil when no dead-letter queue is wanted.
	DeadLetter *DeadLetter
	Encryption bool
}

// DeadLetter moves a message aside after MaxDeliveries failed deliveries.
type DeadLetter struct {
	MaxDeliveries int
}

// Runtime is a neutral function runtime.
type Runtime string

// The function runtimes.
const (
	Python312 Runtime = "python3.12"
	Python311 Runtime = "python3.11"
	NodeJS20  Runtime = "nodejs20"
	NodeJS22  Runtime = "nodejs22"
	Go        Runtime = "go"
)

// Runtimes lists every runtime.
var Runtimes = []Runtime{Python312, Python311, NodeJS20, NodeJS22, Go}

// Function is a function (FaaS).
type Function struct {
	Runtime Runtime
	// Source is the source directory, relative to the blueprint's directory
	// as written; SourceDir is it resolved.
	Source    string
	SourceDir string
	Handler   string
	MemoryMB  int
	Timeout   time.Duration
	// Concurrency is the most instances that run at once; 0 means the cloud's default.
	Concurrency int
	Env         []EnvVar
	Triggers    []Trigger
}

// EnvVar is one environment variable; its value may hold references.
type EnvVar struct {
	Name  string
	Value Template
}

// Trigger starts a function: exactly one of Queue, HTTP and Schedule is set.
type Trigger struct {
	// Queue is the name of a queue resource in the blueprint.
	Queue string
	// BatchSize is how many queue messages one invocation receives (queue triggers).
	BatchSize int
	HTTP      *HTTPTrigger
	Schedule  *ScheduleTrigger
}

// ScheduleTrigger runs a function at the times a cron schedule names, read
// in a time zone.
type ScheduleTrigger struct {
	Cron Cron
	// Timezone is the IANA name of the zone the schedule's times are in;
	// "UTC" when the blueprint names none. Location is it loaded.
	Timezone string
	Location *time.Location
}

// HTTPTrigger exposes a function over HTTPS.
type HTTPTrigger struct {
	// Public allows unauthenticated calls.
	Public bool
}

// Engine is a database engine.
type Engine string

// The database engines.
const (
	Postgres Engine = "postgres"
	MySQL    Engine = "mysql"
)

// Database is a managed relational database.
type Database struct {
	Engine              Engine
	Version             string
	Size                Size
	StorageGB           int
	HighAvailability    bool
	BackupRetentionDays int
	DeletionProtection  bool
}

// Cluster is a managed Kubernetes cluster.
type Cluster struct {
	Kubernetes      string
	PrivateEndpoint bool
	// NodePools are sorted by name.
	NodePools []NodePool
}

// NodePool is a group of nodes of one size.
type NodePool struct {
	Name     string
	Size     Size
	Min, Max int
	Spot     bool
}

// Template is a string that may hold references: a sequence of literal text
// and references. Literal text is data and never reaches Terraform as an
// interpolation.
type Template []Part

// Part is one piece of a Template: literal text, or a reference when Ref is set.
type Part struct {
	Text string
	Ref  *Ref
}

// Ref is a reference ${resource.attribute} to another resource's attribute.
type Ref struct {
	Resource  string
	Attribute string
	Range     diag.Range
}

// Refs returns the references in the template.
func (t Template) Refs() []*Ref {
	var out []*Ref
	for _, p := range t {
		if p.Ref != nil {
			out = append(out, p.Ref)
		}
	}
	return out
}

// Attribute describes an attribute a resource of some kind exposes to
// references; every cloud's module for that kind has an output of this name.
type Attribute struct {
	Name string
	// Type is "string" or "number".
	Type        string
	Description string
}

// Attributes lists, per kind, the attributes references may use. Every
// module of that kind on every cloud outputs exactly these.
var Attributes = map[Kind][]Attribute{
	KindQueue: {
		{"id", "string", "the cloud's identifier of the queue (ARN, topic id, queue id)"},
		{"name", "string", "the queue's name in the cloud"},
		{"url", "string", "the address clients send messages to"},
	},
	KindFunction: {
		{"id", "string", "the cloud's identifier of the function"},
		{"name", "string", "the function's name in the cloud"},
		{"url", "string", "the HTTPS address of an http-triggered function (empty otherwise)"},
	},
	KindDatabase: {
		{"id", "string", "the cloud's identifier of the database server"},
		{"host", "string", "the private host name or address to connect to"},
		{"port", "number", "the port to connect to"},
		{"name", "string", "the name of the database created on the server"},
		{"username", "string", "the administrator user name"},
		{"password_secret", "string", "where the cloud keeps the administrator password (secret ARN, secret id or key vault secret id); the password itself never appears"},
	},
	KindCluster: {
		{"id", "string", "the cloud's identifier of the cluster"},
		{"name", "string", "the cluster's name in the cloud"},
		{"endpoint", "string", "the Kubernetes API server address"},
	},
}

// LookupAttribute returns the attribute of a kind, if there is one.
func LookupAttribute(k Kind, name string) (Attribute, bool) {
	for _, a := range Attributes[k] {
		if a.Name == name {
			return a, true
		}
	}
	return Attribute{}, false
}

// StateEncryption is the blueprint's state.encryption: the state is kept
// encrypted with a key derived from the passphrase in an environment
// variable.
type StateEncryption struct {
	// PassphraseEnv names the environment variable holding the passphrase.
	PassphraseEnv string
	// Range is where passphrase_env stands.
	Range diag.Range
}
