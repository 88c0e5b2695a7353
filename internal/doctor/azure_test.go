package doctor

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/fakecloud"
)

// fakeCredential hands out the token the fake accepts, or fails.
type fakeCredential struct{ err error }

func (c fakeCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if c.err != nil {
		return azcore.AccessToken{}, c.err
	}
	return azcore.AccessToken{Token: fakecloud.FakeToken, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

const testSubscription = "00000000-0000-0000-0000-0000000000aa"

func vmSKU(name string, restrictions ...map[string]any) map[string]any {
	rs := []any{}
	for _, r := range restrictions {
		rs = append(rs, r)
	}
	return map[string]any{"resourceType": "virtualMachines", "name": name, "tier": "Standard", "locations": []any{"westeurope"},
		"locationInfo": []any{map[string]any{"location": "westeurope", "zones": []any{"1", "2", "3"}}}, "restrictions": rs}
}

func azureInventory() *fakecloud.Inventory {
	return &fakecloud.Inventory{Azure: &fakecloud.Azure{Subscription: testSubscription, Tenant: "00000000-0000-0000-0000-0000000000ee",
		AzureAccount: fakecloud.AzureAccount{
			SubscriptionName: "Shop",
			Locations:        []string{"eastus", "northeurope", "westeurope"},
			SKUs: []map[string]any{
				{"resourceType": "disks", "name": "Premium_LRS", "locations": []any{"westeurope"}},
				vmSKU("Standard_D2s_v5"),
				vmSKU("Standard_D4s_v5"),
				vmSKU("Standard_D8s_v5", map[string]any{"type": "Zone", "values": []any{"westeurope"}, "reasonCode": "NotAvailableForSubscription",
					"restrictionInfo": map[string]any{"locations": []any{"westeurope"}, "zones": []any{"3"}}}),
				{"resourceType": "virtualMachines", "name": "Standard_D4s_v5", "locations": []any{"eastus"}},
			},
			FlexibleServerSKUs: map[string]map[string][]string{
				"postgres": {"westeurope": {"Burstable/Standard_B2s", "GeneralPurpose/Standard_D2ads_v5", "GeneralPurpose/Standard_D4ads_v5"}},
				"mysql":    {"westeurope": {"Burstable/Standard_B2s", "GeneralPurpose/Standard_D2ads_v5"}},
			},
		}}}
}

func TestAzure(t *testing.T) {
	bp := loadBlueprint(t, testBlueprint)
	t.Setenv("ARM_SUBSCRIPTION_ID", testSubscription)
	t.Setenv("AZURE_SUBSCRIPTION_ID", "")
	head := []string{"ok azure credentials", "ok azure subscription", "ok azure region westeurope"}
	cases := map[string]struct {
		edit   func(*fakecloud.Inventory, *AzureOptions, *blueprints.Blueprint)
		want   []string
		detail map[string]string
		fix    map[string]string
	}{
		"all pass, through paging and throttling": {
			edit: func(inv *fakecloud.Inventory, _ *AzureOptions, _ *blueprints.Blueprint) {
				inv.ThrottleOnce = []string{"Microsoft.Resources/subscriptions/read", "Microsoft.Resources/subscriptions/locations/read", "Microsoft.Compute/skus/read", "Microsoft.DBforPostgreSQL/locations/capabilities/read"}
			},
			want: append(head, "ok azure vm size Standard_D4s_v5", "ok azure vm size Standard_D8s_v5", "ok azure database sku GP_Standard_D2ads_v5"),
			detail: map[string]string{
				"subscription":                      testSubscription + " (Shop) is enabled",
				"vm size Standard_D8s_v5":           "offered in westeurope, except in zones 3",
				"database sku GP_Standard_D2ads_v5": "postgres GeneralPurpose Standard_D2ads_v5 offered in westeurope",
			},
		},
		"a size restricted for the subscription": {
			edit: func(inv *fakecloud.Inventory, _ *AzureOptions, _ *blueprints.Blueprint) {
				inv.Azure.SKUs[3] = vmSKU("Standard_D8s_v5", map[string]any{"type": "Location", "values": []any{"westeurope"}, "reasonCode": "NotAvailableForSubscription",
					"restrictionInfo": map[string]any{"locations": []any{"westeurope"}}})
			},
			want:   append(head, "ok azure vm size Standard_D4s_v5", "fail azure vm size Standard_D8s_v5", "ok azure database sku GP_Standard_D2ads_v5"),
			detail: map[string]string{"vm size Standard_D8s_v5": "Standard_D8s_v5 exists in westeurope but the subscription may not use it there (NotAvailableForSubscription)"},
		},
		"a size not offered in the region": {
			edit: func(inv *fakecloud.Inventory, _ *AzureOptions, _ *blueprints.Blueprint) {
				inv.Azure.SKUs = inv.Azure.SKUs[:3]
			},
			want:   append(head, "ok azure vm size Standard_D4s_v5", "fail azure vm size Standard_D8s_v5", "ok azure database sku GP_Standard_D2ads_v5"),
			detail: map[string]string{"vm size Standard_D8s_v5": "Standard_D8s_v5 is not offered in westeurope"},
		},
		"a location the subscription does not have": {
			edit: func(inv *fakecloud.Inventory, _ *AzureOptions, _ *blueprints.Blueprint) {
				inv.Azure.Locations = []string{"eastus"}
			},
			want:   []string{"ok azure credentials", "ok azure subscription", "fail azure region westeurope", "skip azure vm size Standard_D4s_v5", "skip azure vm size Standard_D8s_v5", "skip azure database sku GP_Standard_D2ads_v5"},
			detail: map[string]string{"region westeurope": "subscription " + testSubscription + " has no location westeurope"},
		},
		"a denied permission names the action": {
			edit: func(inv *fakecloud.Inventory, _ *AzureOptions, _ *blueprints.Blueprint) {
				inv.Deny = []string{"Microsoft.Compute/skus/read"}
			},
			want: append(head, "fail azure vm size Standard_D4s_v5", "fail azure vm size Standard_D8s_v5", "ok azure database sku GP_Standard_D2ads_v5"),
			fix:  map[string]string{"vm size Standard_D4s_v5": "assign the credential a role with Microsoft.Compute/skus/read on subscription " + testSubscription + " (Reader has every action doctor reads with)"},
		},
		"a database SKU not offered": {
			edit: func(inv *fakecloud.Inventory, _ *AzureOptions, _ *blueprints.Blueprint) {
				inv.Azure.FlexibleServerSKUs["postgres"]["westeurope"] = []string{"Burstable/Standard_B2s", "MemoryOptimized/Standard_E2ads_v5"}
			},
			want:   append(head, "ok azure vm size Standard_D4s_v5", "ok azure vm size Standard_D8s_v5", "fail azure database sku GP_Standard_D2ads_v5"),
			detail: map[string]string{"database sku GP_Standard_D2ads_v5": "postgres flexible servers of GeneralPurpose Standard_D2ads_v5 are not offered in westeurope"},
			fix:    map[string]string{"database sku GP_Standard_D2ads_v5": "deploy to a location that offers it (az postgres flexible-server list-skus --location westeurope), or pick another size for the database"},
		},
		"a disabled subscription": {
			edit: func(inv *fakecloud.Inventory, _ *AzureOptions, _ *blueprints.Blueprint) {
				inv.Azure.SubscriptionState = "Disabled"
			},
			want: []string{"ok azure credentials", "fail azure subscription", "skip azure region westeurope", "skip azure vm size Standard_D4s_v5", "skip azure vm size Standard_D8s_v5", "skip azure database sku GP_Standard_D2ads_v5"},
		},
		"a subscription that is not there": {
			edit: func(_ *fakecloud.Inventory, o *AzureOptions, _ *blueprints.Blueprint) {
				o.Subscription = "00000000-0000-0000-0000-0000000000bb"
			},
			want: []string{"ok azure credentials", "fail azure subscription", "skip azure region westeurope", "skip azure vm size Standard_D4s_v5", "skip azure vm size Standard_D8s_v5", "skip azure database sku GP_Standard_D2ads_v5"},
			fix:  map[string]string{"subscription": "check ARM_SUBSCRIPTION_ID (00000000-0000-0000-0000-0000000000bb) and that the credential has a role on it (Reader is enough)"},
		},
		"no subscription named: the ones the credential sees are listed": {
			edit: func(_ *fakecloud.Inventory, _ *AzureOptions, _ *blueprints.Blueprint) {
				os.Setenv("ARM_SUBSCRIPTION_ID", "")
			},
			want:   []string{"ok azure credentials", "fail azure subscription", "skip azure region westeurope", "skip azure vm size Standard_D4s_v5", "skip azure vm size Standard_D8s_v5", "skip azure database sku GP_Standard_D2ads_v5"},
			detail: map[string]string{"subscription": "no subscription: azure_subscription_id is not passed and ARM_SUBSCRIPTION_ID is not set, so plan would stop (the credential sees " + testSubscription + " (Shop))"},
			fix:    map[string]string{"subscription": "pass --var azure_subscription_id=ID or set ARM_SUBSCRIPTION_ID, as for plan"},
		},
		"no credential": {
			edit: func(_ *fakecloud.Inventory, o *AzureOptions, _ *blueprints.Blueprint) {
				o.Credential = fakeCredential{err: errors.New("EnvironmentCredential: missing environment variable AZURE_TENANT_ID")}
			},
			want: []string{"fail azure credentials", "skip azure subscription", "skip azure region westeurope", "skip azure vm size Standard_D4s_v5", "skip azure vm size Standard_D8s_v5", "skip azure database sku GP_Standard_D2ads_v5"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Setenv("ARM_SUBSCRIPTION_ID", testSubscription)
			inv := azureInventory()
			srv := fakecloud.NewTLS(inv)
			defer srv.Close()
			o := AzureOptions{Credential: fakeCredential{}, Endpoint: srv.URL, Transport: srv.Client()}
			b := bp.Retarget(blueprints.Azure)
			tc.edit(inv, &o, b)
			n, _, err := Requirements(b, blueprints.Azure)
			if err != nil {
				t.Fatal(err)
			}
			got := checkAzure(context.Background(), o, n)
			if tc.edit != nil && len(inv.ThrottleOnce) > 0 {
				skus := 0
				for _, c := range srv.Calls() {
					if c == "Microsoft.Compute/skus/read" {
						skus++
					}
				}
				// One westeurope SKU a page (four pages) and the throttled try.
				if skus != 5 {
					t.Errorf("%d Resource SKUs calls, want 5", skus)
				}
			}
			wantChecks(t, got, tc.want, tc.detail, tc.fix)
		})
	}
}

func TestAzureMySQL(t *testing.T) {
	bp := loadBlueprint(t, strings.Replace(strings.Replace(testBlueprint, "engine: postgres", "engine: mysql", 1), `version: "16"`, `version: "8.0"`, 1))
	t.Setenv("ARM_SUBSCRIPTION_ID", testSubscription)
	for name, skus := range map[string][]string{
		"ok":   {"GeneralPurpose/Standard_D2ads_v5"},
		"fail": {"GeneralPurpose/Standard_D4ads_v5"},
	} {
		t.Run(name, func(t *testing.T) {
			inv := azureInventory()
			inv.Azure.FlexibleServerSKUs["mysql"]["westeurope"] = skus
			srv := fakecloud.NewTLS(inv)
			defer srv.Close()
			b := bp.Retarget(blueprints.Azure)
			n, _, err := Requirements(b, blueprints.Azure)
			if err != nil {
				t.Fatal(err)
			}
			got := checkAzure(context.Background(), AzureOptions{Credential: fakeCredential{}, Endpoint: srv.URL, Transport: srv.Client()}, n)
			c := find(t, got, "database sku GP_Standard_D2ads_v5")
			if string(c.Status) != name {
				t.Errorf("%s %q, want %s", c.Status, c.Detail, name)
			}
		})
	}
}
