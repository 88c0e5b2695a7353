package bootstrap

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage/fake"
	"github.com/google/go-cmp/cmp"
)

// fakeAzure is one subscription as the resource manager's storage API
// sees it, served through the SDK's own fake transport.
type fakeAzure struct {
	groups     map[string]bool
	accounts   map[string]*armstorage.Account
	versioning map[string]bool
	containers map[string]*armstorage.ContainerProperties
	taken      map[string]bool
	calls      []string
}

func newFakeAzure() *fakeAzure {
	return &fakeAzure{groups: map[string]bool{"platform-state": true}, accounts: map[string]*armstorage.Account{},
		versioning: map[string]bool{}, containers: map[string]*armstorage.ContainerProperties{}, taken: map[string]bool{}}
}

func (f *fakeAzure) server() *fake.ServerFactory {
	return &fake.ServerFactory{
		AccountsServer: fake.AccountsServer{
			GetProperties: func(_ context.Context, rg, name string, _ *armstorage.AccountsClientGetPropertiesOptions) (resp azfake.Responder[armstorage.AccountsClientGetPropertiesResponse], errResp azfake.ErrorResponder) {
				switch a, ok := f.accounts[rg+"/"+name]; {
				case !f.groups[rg]:
					errResp.SetResponseError(http.StatusNotFound, "ResourceGroupNotFound")
				case !ok:
					errResp.SetResponseError(http.StatusNotFound, "ResourceNotFound")
				default:
					resp.SetResponse(http.StatusOK, armstorage.AccountsClientGetPropertiesResponse{Account: *a}, nil)
				}
				return
			},
			CheckNameAvailability: func(_ context.Context, p armstorage.AccountCheckNameAvailabilityParameters, _ *armstorage.AccountsClientCheckNameAvailabilityOptions) (resp azfake.Responder[armstorage.AccountsClientCheckNameAvailabilityResponse], errResp azfake.ErrorResponder) {
				avail := !f.taken[*p.Name]
				resp.SetResponse(http.StatusOK, armstorage.AccountsClientCheckNameAvailabilityResponse{CheckNameAvailabilityResult: armstorage.CheckNameAvailabilityResult{NameAvailable: &avail}}, nil)
				return
			},
			BeginCreate: func(_ context.Context, rg, name string, p armstorage.AccountCreateParameters, _ *armstorage.AccountsClientBeginCreateOptions) (resp azfake.PollerResponder[armstorage.AccountsClientCreateResponse], errResp azfake.ErrorResponder) {
				f.calls = append(f.calls, "create account "+name)
				a := &armstorage.Account{Name: to.Ptr(name), Location: p.Location, Kind: p.Kind, SKU: p.SKU, Properties: &armstorage.AccountProperties{
					PrimaryEndpoints:  &armstorage.Endpoints{Blob: to.Ptr("https://" + name + ".blob.example/")},
					MinimumTLSVersion: p.Properties.MinimumTLSVersion, AllowBlobPublicAccess: p.Properties.AllowBlobPublicAccess, EnableHTTPSTrafficOnly: p.Properties.EnableHTTPSTrafficOnly,
				}}
				f.accounts[rg+"/"+name] = a
				resp.SetTerminalResponse(http.StatusOK, armstorage.AccountsClientCreateResponse{Account: *a}, nil)
				return
			},
			Update: func(_ context.Context, rg, name string, p armstorage.AccountUpdateParameters, _ *armstorage.AccountsClientUpdateOptions) (resp azfake.Responder[armstorage.AccountsClientUpdateResponse], errResp azfake.ErrorResponder) {
				f.calls = append(f.calls, "update account "+name)
				a := f.accounts[rg+"/"+name]
				if v := p.Properties.MinimumTLSVersion; v != nil {
					a.Properties.MinimumTLSVersion = v
				}
				if v := p.Properties.AllowBlobPublicAccess; v != nil {
					a.Properties.AllowBlobPublicAccess = v
				}
				if v := p.Properties.EnableHTTPSTrafficOnly; v != nil {
					a.Properties.EnableHTTPSTrafficOnly = v
				}
				resp.SetResponse(http.StatusOK, armstorage.AccountsClientUpdateResponse{Account: *a}, nil)
				return
			},
		},
		BlobServicesServer: fake.BlobServicesServer{
			GetServiceProperties: func(_ context.Context, rg, name string, _ *armstorage.BlobServicesClientGetServicePropertiesOptions) (resp azfake.Responder[armstorage.BlobServicesClientGetServicePropertiesResponse], errResp azfake.ErrorResponder) {
				v := f.versioning[rg+"/"+name]
				resp.SetResponse(http.StatusOK, armstorage.BlobServicesClientGetServicePropertiesResponse{BlobServiceProperties: armstorage.BlobServiceProperties{
					BlobServiceProperties: &armstorage.BlobServicePropertiesProperties{IsVersioningEnabled: &v}}}, nil)
				return
			},
			SetServiceProperties: func(_ context.Context, rg, name string, p armstorage.BlobServiceProperties, _ *armstorage.BlobServicesClientSetServicePropertiesOptions) (resp azfake.Responder[armstorage.BlobServicesClientSetServicePropertiesResponse], errResp azfake.ErrorResponder) {
				f.calls = append(f.calls, "versioning "+name)
				f.versioning[rg+"/"+name] = *p.BlobServiceProperties.IsVersioningEnabled
				resp.SetResponse(http.StatusOK, armstorage.BlobServicesClientSetServicePropertiesResponse{BlobServiceProperties: p}, nil)
				return
			},
		},
		BlobContainersServer: fake.BlobContainersServer{
			Get: func(_ context.Context, rg, account, name string, _ *armstorage.BlobContainersClientGetOptions) (resp azfake.Responder[armstorage.BlobContainersClientGetResponse], errResp azfake.ErrorResponder) {
				c, ok := f.containers[rg+"/"+account+"/"+name]
				if !ok {
					errResp.SetResponseError(http.StatusNotFound, "ContainerNotFound")
					return
				}
				resp.SetResponse(http.StatusOK, armstorage.BlobContainersClientGetResponse{BlobContainer: armstorage.BlobContainer{ContainerProperties: c}}, nil)
				return
			},
			Create: func(_ context.Context, rg, account, name string, c armstorage.BlobContainer, _ *armstorage.BlobContainersClientCreateOptions) (resp azfake.Responder[armstorage.BlobContainersClientCreateResponse], errResp azfake.ErrorResponder) {
				f.calls = append(f.calls, "create container "+name+" public="+string(*c.ContainerProperties.PublicAccess))
				f.containers[rg+"/"+account+"/"+name] = c.ContainerProperties
				resp.SetResponse(http.StatusCreated, armstorage.BlobContainersClientCreateResponse{BlobContainer: c}, nil)
				return
			},
		},
	}
}

func (f *fakeAzure) options(opts AzureOptions) AzureOptions {
	opts.Credential = &azfake.TokenCredential{}
	opts.ClientOptions = &arm.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: fake.NewServerFactoryTransport(f.server())}}
	return opts
}

func TestAzureCreatesAccountAndContainer(t *testing.T) {
	f := newFakeAzure()
	ctx := context.Background()
	opts := f.options(AzureOptions{SubscriptionID: "00000000-0000-0000-0000-000000000000", ResourceGroup: "platform-state", StorageAccount: "acmetfstate", Container: "tfstate", Location: "westeurope"})
	a, err := NewAzure(opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := &Result{
		Cloud: "azure", Backend: "azurerm", URL: "https://acmetfstate.blob.example/tfstate", Created: true,
		Settings: []Setting{
			{Name: "minimum TLS", Value: "1.2"},
			{Name: "HTTPS only", Value: "enabled"},
			{Name: "encryption", Value: "Microsoft-managed keys"},
			{Name: "public access", Value: "blocked"},
			{Name: "versioning", Value: "enabled", Changed: true},
			{Name: "container", Value: "tfstate", Changed: true},
		},
		Blueprint: map[string]string{"type": "azurerm", "storage_account": "acmetfstate", "container": "tfstate", "resource_group": "platform-state"},
	}
	if d := cmp.Diff(want, res); d != "" {
		t.Errorf("Ensure (-want +got):\n%s", d)
	}
	acct := f.accounts["platform-state/acmetfstate"]
	if *acct.Kind != armstorage.KindStorageV2 || *acct.Location != "westeurope" || *acct.Properties.AllowBlobPublicAccess || !*acct.Properties.EnableHTTPSTrafficOnly {
		t.Errorf("account created as %+v %+v", acct, acct.Properties)
	}
	wantCalls := []string{"create account acmetfstate", "versioning acmetfstate", "create container tfstate public=None"}
	if d := cmp.Diff(wantCalls, f.calls); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}

	// Idempotent: nothing is changed the second time.
	f.calls = nil
	again, err := a.Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || len(f.calls) != 0 {
		t.Errorf("second Ensure: created %v, calls %v", again.Created, f.calls)
	}
}

func TestAzureSecuresAnExistingAccount(t *testing.T) {
	f := newFakeAzure()
	f.accounts["platform-state/legacystate"] = &armstorage.Account{Name: to.Ptr("legacystate"), Location: to.Ptr("westeurope"),
		Properties: &armstorage.AccountProperties{MinimumTLSVersion: to.Ptr(armstorage.MinimumTLSVersionTLS10), AllowBlobPublicAccess: to.Ptr(true)}}
	a, err := NewAzure(f.options(AzureOptions{SubscriptionID: "s", ResourceGroup: "platform-state", StorageAccount: "legacystate", Container: "tfstate"}))
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.Ensure(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p := f.accounts["platform-state/legacystate"].Properties
	if *p.MinimumTLSVersion != armstorage.MinimumTLSVersionTLS12 || *p.AllowBlobPublicAccess || !*p.EnableHTTPSTrafficOnly {
		t.Errorf("account left as TLS %s, public %v, https only %v", *p.MinimumTLSVersion, *p.AllowBlobPublicAccess, *p.EnableHTTPSTrafficOnly)
	}
	if res.Created || res.Setting("minimum TLS") != "1.2" {
		t.Errorf("result %+v", res)
	}
}

func TestAzureErrors(t *testing.T) {
	cases := map[string]struct {
		reason string
		opts   AzureOptions
		setup  func(*fakeAzure)
		want   string
	}{
		"no group": {
			reason: "the resource group must exist; skyform does not create one",
			opts:   AzureOptions{SubscriptionID: "s", ResourceGroup: "nowhere", StorageAccount: "acmetfstate", Container: "tfstate", Location: "westeurope"},
			want:   "resource group nowhere does not exist in subscription s",
		},
		"taken": {
			reason: "a storage account name is global",
			opts:   AzureOptions{SubscriptionID: "s", ResourceGroup: "platform-state", StorageAccount: "tfstate", Container: "tfstate", Location: "westeurope"},
			setup:  func(f *fakeAzure) { f.taken["tfstate"] = true },
			want:   `the storage account name "tfstate" is taken`,
		},
		"elsewhere": {
			reason: "an existing account in another location than asked is refused",
			opts:   AzureOptions{SubscriptionID: "s", ResourceGroup: "platform-state", StorageAccount: "acmetfstate", Container: "tfstate", Location: "northeurope"},
			setup: func(f *fakeAzure) {
				f.accounts["platform-state/acmetfstate"] = &armstorage.Account{Location: to.Ptr("westeurope"), Properties: &armstorage.AccountProperties{}}
			},
			want: "storage account acmetfstate exists in westeurope, not in northeurope",
		},
		"no location": {
			reason: "a new account needs a location",
			opts:   AzureOptions{SubscriptionID: "s", ResourceGroup: "platform-state", StorageAccount: "acmetfstate", Container: "tfstate"},
			want:   "--region is needed",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFakeAzure()
			if tc.setup != nil {
				tc.setup(f)
			}
			a, err := NewAzure(f.options(tc.opts))
			if err != nil {
				t.Fatal(err)
			}
			_, err = a.Ensure(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: Ensure = %v; want %q", tc.reason, err, tc.want)
			}
		})
	}
}
