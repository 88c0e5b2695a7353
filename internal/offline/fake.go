package offline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Fixed identities of the offline world. They are obviously fake (all
// zeros, the .invalid top-level domain that never resolves) so that nothing
// produced offline can be mistaken for, or reach, a real account.
const (
	fakeAWSAccount     = "000000000000"
	fakeAWSRegion      = "offline-1"
	fakeGoogleProject  = "offline-project"
	fakeGoogleNumber   = "000000000000"
	fakeGoogleRegion   = "offline1"
	fakeAzureTenant    = "00000000-0000-0000-0000-000000000000"
	fakeAzureSub       = "00000000-0000-0000-0000-000000000000"
	fakeAzureClient    = "00000000-0000-0000-0000-000000000001"
	fakeAzureObject    = "00000000-0000-0000-0000-000000000002"
	fakeAzureLocation  = "offline"
	fakeDomain         = "offline.invalid"
	fakeTimestamp      = "2000-01-01T00:00:00Z"
	fakeAzureRGDefault = "offline-rg"
)

// faker makes the values an offline apply or read fills in. Every value is
// a function of the resource type, the object's own name (or, without one,
// a digest of its configuration) and the attribute path, so the same
// configuration always yields the same state.
type faker struct {
	provider string // aws, google, azurerm
	typeName string // aws_sqs_queue
	name     string // the object's name-like value, or "" when it has none
	seed     string // stands in for name in digests
	// Placement, from the object itself or the provider configuration.
	region, project, location, resourceGroup, subscription string
}

// newFaker describes the object whose known attribute values are attrs.
// cfg is the provider configuration; seed is a digest of the object's
// configuration.
func newFaker(provider, typeName string, attrs map[string]tftypes.Value, cfg providerConfig, seed string) *faker {
	f := &faker{provider: provider, typeName: typeName, seed: seed}
	str := func(name string) string {
		v, ok := attrs[name]
		if !ok || !v.IsKnown() || v.IsNull() || !v.Type().Is(tftypes.String) {
			return ""
		}
		var s string
		_ = v.As(&s)
		return s
	}
	for _, k := range []string{"name", "bucket", "account_id", "display_name", "function_name", "cluster_name", "queue_name", "role"} {
		if s := str(k); s != "" {
			f.name = s
			break
		}
	}
	if f.name == "" {
		if p := str("name_prefix"); p != "" {
			f.name = p + shortHash(seed)
		}
	}
	first := func(vals ...string) string {
		for _, v := range vals {
			if v != "" {
				return v
			}
		}
		return ""
	}
	switch provider {
	case "aws":
		f.region = first(str("region"), cfg.region, fakeAWSRegion)
	case "google":
		f.region = first(str("region"), cfg.region, fakeGoogleRegion)
		f.project = first(str("project"), cfg.project, fakeGoogleProject)
		f.location = first(str("location"), f.region)
	case "azurerm":
		f.location = first(str("location"), fakeAzureLocation)
		f.resourceGroup = first(str("resource_group_name"), fakeAzureRGDefault)
		f.subscription = first(cfg.subscription, fakeAzureSub)
	}
	return f
}

// label is the object's name, or a short stable stand-in.
func (f *faker) label() string {
	if f.name != "" {
		return f.name
	}
	return strings.TrimPrefix(f.typeName, f.provider+"_") + "-" + shortHash(f.seed)
}

// digest is a stable hex string for one attribute of this object.
func (f *faker) digest(path string, n int) string {
	sum := sha256.Sum256([]byte(f.typeName + "\x00" + f.label() + "\x00" + f.seed + "\x00" + path))
	return hex.EncodeToString(sum[:])[:n]
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:8]
}

// fill replaces every unknown inside v with a fake value.
func (f *faker) fill(v tftypes.Value) (tftypes.Value, error) {
	return tftypes.Transform(v, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		return f.value(attrNames(p), v.Type()), nil
	})
}

// attrNames keeps the attribute names of a path: list indexes and set
// values do not say what an attribute is.
func attrNames(p *tftypes.AttributePath) []string {
	var out []string
	for _, s := range p.Steps() {
		if n, ok := s.(tftypes.AttributeName); ok {
			out = append(out, string(n))
		}
	}
	return out
}

// value is the fake for an attribute at path (attribute names only) of
// type t. Collections are empty, except that a collection of objects gets
// one element: computed blocks such as an EKS cluster's
// certificate_authority are read as x[0].attr, and one element is what the
// real providers return for them.
func (f *faker) value(path []string, t tftypes.Type) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, f.str(path))
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, new(big.Float))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	case t.Is(tftypes.DynamicPseudoType):
		return tftypes.NewValue(t, nil)
	}
	switch tt := t.(type) {
	case tftypes.List:
		if obj, ok := tt.ElementType.(tftypes.Object); ok {
			return tftypes.NewValue(t, []tftypes.Value{f.value(path, obj)})
		}
		return tftypes.NewValue(t, []tftypes.Value{})
	case tftypes.Set:
		if obj, ok := tt.ElementType.(tftypes.Object); ok {
			return tftypes.NewValue(t, []tftypes.Value{f.value(path, obj)})
		}
		return tftypes.NewValue(t, []tftypes.Value{})
	case tftypes.Map:
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	case tftypes.Object:
		attrs := make(map[string]tftypes.Value, len(tt.AttributeTypes))
		for name, at := range tt.AttributeTypes {
			attrs[name] = f.value(append(path[:len(path):len(path)], name), at)
		}
		return tftypes.NewValue(t, attrs)
	case tftypes.Tuple:
		elems := make([]tftypes.Value, len(tt.ElementTypes))
		for i, et := range tt.ElementTypes {
			elems[i] = f.value(path, et)
		}
		return tftypes.NewValue(t, elems)
	}
	return tftypes.NewValue(t, nil)
}

// str is the fake for a string attribute, shaped by its name so that plans
// and outputs read plausibly: ARNs look like ARNs, Azure IDs like Azure
// IDs, addresses like addresses.
func (f *faker) str(path []string) string {
	if len(path) == 0 {
		return "offline-" + f.digest("", 8)
	}
	attr := path[len(path)-1]
	full := strings.Join(path, ".")
	top := len(path) == 1
	has := func(suffixes ...string) bool {
		for _, s := range suffixes {
			if attr == s || strings.HasSuffix(attr, "_"+s) {
				return true
			}
		}
		return false
	}
	switch {
	case top && attr == "id":
		return f.id()
	case top && attr == "arn":
		return f.arn()
	case top && attr == "name":
		return f.label()
	case attr == "region":
		return f.region
	case attr == "location":
		if f.location != "" {
			return f.location
		}
		return f.region
	case attr == "project" && f.project != "":
		return f.project
	case attr == "zone" || attr == "availability_zone":
		switch f.provider {
		case "google":
			return f.region + "-a"
		case "azurerm":
			return "1"
		}
		return f.region + "a"
	case has("arn"):
		if f.provider == "aws" {
			return fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", f.awsService(), f.region, fakeAWSAccount, strings.TrimSuffix(attr, "_arn"), f.label())
		}
	case attr == "tenant_id":
		return fakeAzureTenant
	case attr == "subscription_id":
		return f.subscription
	case has("guid", "uuid", "principal_id", "client_id", "object_id", "tenant_id", "application_id"):
		return f.uuid(full)
	case has("email"):
		return f.label() + "@" + fakeDomain
	case top && attr == "url" && f.typeName == "aws_sqs_queue":
		return f.id()
	case has("url", "uri", "endpoint", "self_link"):
		return "https://" + f.host() + "/" + f.digest(full, 8)
	case has("fqdn", "hostname", "host", "dns_name", "domain", "server"):
		return f.host()
	case has("ip", "ip_address", "address"):
		d := f.digest(full, 4)
		return fmt.Sprintf("10.%d.%d.%d", hexByte(d[0:2])%250, hexByte(d[2:4])%250, 10)
	case has("cidr", "cidr_block", "ip_range", "ip_cidr_range"):
		return "10.0.0.0/16"
	case has("time", "timestamp", "date", "created", "created_at", "updated_at", "creation_time"):
		return fakeTimestamp
	case has("json", "policy", "document"):
		return "{}"
	case has("etag", "fingerprint", "hash", "checksum", "md5", "sha256", "revision", "version_id"):
		return f.digest(full, 16)
	case has("password", "secret", "key", "token", "connection_string", "certificate", "data", "kube_config_raw", "kube_admin_config_raw"):
		return "offline-" + f.digest(full, 24)
	case has("id"):
		return f.label() + "-" + f.digest(full, 8)
	}
	return "offline-" + f.digest(full, 8)
}

func hexByte(s string) int {
	n, _ := strconv.ParseUint(s, 16, 8)
	return int(n)
}

func (f *faker) uuid(path string) string {
	d := f.digest(path, 32)
	return d[0:8] + "-" + d[8:12] + "-" + d[12:16] + "-" + d[16:20] + "-" + d[20:32]
}

func (f *faker) host() string {
	dns := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "-") }
	return dns(f.label()) + "." + dns(strings.TrimPrefix(f.typeName, f.provider+"_")) + "." + fakeDomain
}

// awsIDPrefixes are the prefixes of EC2-style identifiers.
var awsIDPrefixes = map[string]string{
	"aws_vpc":                             "vpc-",
	"aws_subnet":                          "subnet-",
	"aws_security_group":                  "sg-",
	"aws_vpc_security_group_ingress_rule": "sgr-",
	"aws_vpc_security_group_egress_rule":  "sgr-",
	"aws_internet_gateway":                "igw-",
	"aws_nat_gateway":                     "nat-",
	"aws_route_table":                     "rtb-",
	"aws_route_table_association":         "rtbassoc-",
	"aws_route":                           "r-rtb-",
	"aws_eip":                             "eipalloc-",
	"aws_vpc_endpoint":                    "vpce-",
	"aws_db_instance":                     "db-",
}

// id is the fake for a top-level "id", in each cloud's own shape.
func (f *faker) id() string {
	switch f.provider {
	case "aws":
		if p, ok := awsIDPrefixes[f.typeName]; ok {
			return p + f.digest("id", 17)
		}
		if f.typeName == "aws_sqs_queue" {
			return fmt.Sprintf("https://sqs.%s.%s/%s/%s", f.region, fakeDomain, fakeAWSAccount, f.label())
		}
		return f.label()
	case "google":
		if c, ok := googleCollections[f.typeName]; ok {
			c = strings.NewReplacer("{region}", f.region, "{location}", f.location).Replace(c)
			return fmt.Sprintf("projects/%s/%s/%s", f.project, c, f.label())
		}
		kind := strings.TrimPrefix(f.typeName, "google_")
		return fmt.Sprintf("projects/%s/%ss/%s", f.project, kind, f.label())
	case "azurerm":
		if f.typeName == "azurerm_resource_group" {
			return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", f.subscription, f.label())
		}
		kind := strings.TrimPrefix(f.typeName, "azurerm_")
		return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Offline.%s/%s", f.subscription, f.resourceGroup, kind, f.label())
	}
	return f.label()
}

// googleCollections are the collections in the IDs of the google
// resources that other resources refer to by ID.
var googleCollections = map[string]string{
	"google_pubsub_topic":                 "topics",
	"google_pubsub_subscription":          "subscriptions",
	"google_compute_network":              "global/networks",
	"google_compute_subnetwork":           "regions/{region}/subnetworks",
	"google_compute_global_address":       "global/addresses",
	"google_vpc_access_connector":         "locations/{region}/connectors",
	"google_cloudfunctions2_function":     "locations/{location}/functions",
	"google_service_account":              "serviceAccounts",
	"google_sql_database_instance":        "instances",
	"google_secret_manager_secret":        "secrets",
	"google_container_cluster":            "locations/{location}/clusters",
	"google_container_node_pool":          "locations/{location}/nodePools",
	"google_storage_bucket":               "buckets",
	"google_cloud_run_v2_service":         "locations/{location}/services",
	"google_artifact_registry_repository": "locations/{location}/repositories",
}

// awsServices maps the first word of an aws type to its ARN service.
var awsServices = map[string]string{
	"db": "rds", "vpc": "ec2", "subnet": "ec2", "security": "ec2", "internet": "ec2",
	"nat": "ec2", "route": "ec2", "eip": "ec2", "cloudwatch": "logs",
}

func (f *faker) awsService() string {
	word, _, _ := strings.Cut(strings.TrimPrefix(f.typeName, "aws_"), "_")
	if s, ok := awsServices[word]; ok {
		return s
	}
	return word
}

// arn is the fake for a top-level "arn".
func (f *faker) arn() string {
	svc := f.awsService()
	kind := strings.TrimPrefix(f.typeName, "aws_"+svc+"_")
	if kind == f.typeName {
		_, kind, _ = strings.Cut(strings.TrimPrefix(f.typeName, "aws_"), "_")
	}
	switch f.typeName {
	case "aws_sqs_queue":
		return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", f.region, fakeAWSAccount, f.label())
	case "aws_lambda_function":
		return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", f.region, fakeAWSAccount, f.label())
	case "aws_iam_role", "aws_iam_policy", "aws_iam_user":
		return fmt.Sprintf("arn:aws:iam::%s:%s/%s", fakeAWSAccount, kind, f.label())
	case "aws_db_instance":
		return fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", f.region, fakeAWSAccount, f.label())
	}
	if kind == "" {
		kind = svc
	}
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", svc, f.region, fakeAWSAccount, kind, f.label())
}
