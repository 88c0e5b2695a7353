package blueprints

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDecodeBackend(t *testing.T) {
	cases := map[string]struct {
		reason string
		src    string
		want   *Backend
	}{
		"none": {
			reason: "no backend key means the local backend, as nil",
			src:    "blueprint: b\nresources:\n  q: {kind: queue}\n",
		},
		"local": {
			reason: "the local backend takes no settings",
			src:    "blueprint: b\nbackend: {type: local}\nresources:\n  q: {kind: queue}\n",
			want:   &Backend{Type: BackendLocal},
		},
		"s3": {
			reason: "bucket and region; the key is left to the deployment",
			src:    "blueprint: b\nbackend: {type: s3, bucket: acme-tfstate, region: eu-west-1}\nresources:\n  q: {kind: queue}\n",
			want:   &Backend{Type: BackendS3, Bucket: "acme-tfstate", Region: "eu-west-1"},
		},
		"s3 with key": {
			reason: "a fixed key is kept as written",
			src:    "blueprint: b\nbackend: {type: s3, bucket: acme-tfstate, key: teams/shop/terraform.tfstate}\nresources:\n  q: {kind: queue}\n",
			want:   &Backend{Type: BackendS3, Bucket: "acme-tfstate", Key: "teams/shop/terraform.tfstate"},
		},
		"gcs": {
			reason: "bucket and prefix",
			src:    "blueprint: b\nbackend:\n  type: gcs\n  bucket: acme_tfstate.eu\n  prefix: shop\nresources:\n  q: {kind: queue}\n",
			want:   &Backend{Type: BackendGCS, Bucket: "acme_tfstate.eu", Prefix: "shop"},
		},
		"azurerm": {
			reason: "storage account, container, resource group and key",
			src:    "blueprint: b\nbackend: {type: azurerm, storage_account: acmetfstate, container: tfstate, resource_group: platform-state, key: shop.tfstate}\nresources:\n  q: {kind: queue}\n",
			want:   &Backend{Type: BackendAzure, StorageAccount: "acmetfstate", Container: "tfstate", ResourceGroup: "platform-state", Key: "shop.tfstate"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			bp := parseOK(t, tc.src)
			if diff := cmp.Diff(tc.want, bp.Backend, cmpopts.IgnoreFields(Backend{}, "Range", "Fields")); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestBackendPositions(t *testing.T) {
	bp := parseOK(t, "blueprint: b\nbackend:\n  type: s3\n  bucket: acme-tfstate\n  key: shop.tfstate\nresources:\n  q: {kind: queue}\n")
	if got := bp.Backend.At("key").Start; got.Line != 5 || got.Column != 3 {
		t.Errorf("At(key) = %d:%d, want 5:3 (the key's name)", got.Line, got.Column)
	}
	if got := bp.Backend.At("region").Start; got.Line != 2 || got.Column != 1 {
		t.Errorf("At(region) = %d:%d, want 2:1 (the backend key, region not being written)", got.Line, got.Column)
	}
}

func TestBackendContainerLength(t *testing.T) {
	long := strings.Repeat("a", 64)
	src := "blueprint: b\nbackend: {type: azurerm, storage_account: acme, container: " + long + "}\nresources:\n  q: {kind: queue}\n"
	_, ds := Parse("b.yaml", []byte(src))
	if len(ds) != 1 || ds[0].Summary != `invalid container "`+long+`"` || ds[0].Path != "backend.container" {
		t.Errorf("a 64-character container: got %v", ds)
	}
}

// TestSchemaBackend checks that the JSON Schema allows each backend type
// only its own fields, like the decoder.
func TestSchemaBackend(t *testing.T) {
	data, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Properties struct {
			Backend struct {
				Required []string `json:"required"`
				AllOf    []struct {
					If struct {
						Properties struct {
							Type struct {
								Const string `json:"const"`
							} `json:"type"`
						} `json:"properties"`
					} `json:"if"`
					Then struct {
						Properties map[string]any `json:"properties"`
						Required   []string       `json:"required"`
					} `json:"then"`
				} `json:"allOf"`
			} `json:"backend"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, a := range s.Properties.Backend.AllOf {
		got[a.If.Properties.Type.Const] = a.Then.Required
	}
	want := map[string][]string{
		"local":   {"type"},
		"s3":      {"type", "bucket"},
		"gcs":     {"type", "bucket"},
		"azurerm": {"type", "storage_account", "container"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("required backend fields per type (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"type"}, s.Properties.Backend.Required); diff != "" {
		t.Errorf("backend.required (-want +got):\n%s", diff)
	}
}
