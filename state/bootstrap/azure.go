package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"
)

// AzureOptions say which storage account and container to ensure.
type AzureOptions struct {
	// SubscriptionID holds the account; "" takes ARM_SUBSCRIPTION_ID or
	// AZURE_SUBSCRIPTION_ID (the caller reads them).
	SubscriptionID string
	// ResourceGroup holds the account; it must exist.
	ResourceGroup  string
	StorageAccount string
	Container      string
	// Location is where a new account lives (e.g. westeurope).
	Location string
	// Credential replaces DefaultAzureCredential (tests).
	Credential azcore.TokenCredential
	// ClientOptions go to the resource manager clients (a fake transport,
	// in tests).
	ClientOptions *arm.ClientOptions
}

// Azure is a storage account and blob container for the azurerm backend.
type Azure struct {
	opts       AzureOptions
	accounts   *armstorage.AccountsClient
	services   *armstorage.BlobServicesClient
	containers *armstorage.BlobContainersClient
}

var _ Store = (*Azure)(nil)

// NewAzure returns the container's Store. Without a Credential it uses
// DefaultAzureCredential: environment (ARM_/AZURE_CLIENT_ID and secret or
// certificate), workload identity, managed identity, az login, azd.
func NewAzure(opts AzureOptions) (*Azure, error) {
	if err := check(
		[3]string{"--subscription", opts.SubscriptionID, "give the Azure subscription ID (or set ARM_SUBSCRIPTION_ID)"},
		[3]string{"--resource-group", opts.ResourceGroup, "name the resource group that holds (or will hold) the storage account"},
		[3]string{"--storage-account", opts.StorageAccount, "name the storage account: 3 to 24 lower-case letters and digits"},
		[3]string{"--container", opts.Container, "name the blob container to create"},
	); err != nil {
		return nil, err
	}
	cred := opts.Credential
	if cred == nil {
		c, err := azidentity.NewDefaultAzureCredential(nil)
		if err != nil {
			return nil, fmt.Errorf("cannot find Azure credentials: %w", err)
		}
		cred = c
	}
	f, err := armstorage.NewClientFactory(opts.SubscriptionID, cred, opts.ClientOptions)
	if err != nil {
		return nil, fmt.Errorf("cannot start the Azure storage client: %w", err)
	}
	return &Azure{opts: opts, accounts: f.NewAccountsClient(), services: f.NewBlobServicesClient(), containers: f.NewBlobContainersClient()}, nil
}

func azStatus(err error) (int, string) {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.StatusCode, re.ErrorCode
	}
	return 0, ""
}

// Ensure creates the storage account if needed (StorageV2, TLS 1.2 or
// later, HTTPS only, no public blob access), turns on blob versioning and
// creates the private container.
func (a *Azure) Ensure(ctx context.Context) (*Result, error) {
	o := a.opts
	res := &Result{Cloud: "azure", Backend: "azurerm", URL: o.StorageAccount + "/" + o.Container,
		Blueprint: map[string]string{"type": "azurerm", "storage_account": o.StorageAccount, "container": o.Container, "resource_group": o.ResourceGroup}}
	acct, err := a.accounts.GetProperties(ctx, o.ResourceGroup, o.StorageAccount, nil)
	var props *armstorage.AccountProperties
	switch status, code := azStatus(err); {
	case err == nil:
		if loc := deref(acct.Location, ""); o.Location != "" && !strings.EqualFold(strings.ReplaceAll(loc, " ", ""), strings.ReplaceAll(o.Location, " ", "")) {
			return nil, fmt.Errorf("storage account %s exists in %s, not in %s: give --region %s", o.StorageAccount, loc, o.Location, loc)
		}
		props = acct.Properties
	case code == "ResourceGroupNotFound":
		return nil, fmt.Errorf("resource group %s does not exist in subscription %s: create it first (az group create --name %s --location LOCATION)", o.ResourceGroup, o.SubscriptionID, o.ResourceGroup)
	case status == http.StatusNotFound:
		if props, err = a.createAccount(ctx); err != nil {
			return nil, err
		}
		res.Created = true
	default:
		return nil, fmt.Errorf("cannot look up storage account %s: %w", o.StorageAccount, err)
	}
	if props == nil {
		props = &armstorage.AccountProperties{}
	}
	if e := props.PrimaryEndpoints; e != nil && e.Blob != nil {
		res.URL = strings.TrimSuffix(*e.Blob, "/") + "/" + o.Container
	}
	if err := a.secureAccount(ctx, props, res); err != nil {
		return nil, err
	}
	if err := a.versioning(ctx, res); err != nil {
		return nil, err
	}
	if err := a.container(ctx, res); err != nil {
		return nil, err
	}
	return res, nil
}

func (a *Azure) createAccount(ctx context.Context) (*armstorage.AccountProperties, error) {
	o := a.opts
	if err := check([3]string{"--region", o.Location, "give the new storage account's location, e.g. westeurope"}); err != nil {
		return nil, err
	}
	avail, err := a.accounts.CheckNameAvailability(ctx, armstorage.AccountCheckNameAvailabilityParameters{
		Name: to.Ptr(o.StorageAccount), Type: to.Ptr("Microsoft.Storage/storageAccounts")}, nil)
	if err != nil {
		return nil, fmt.Errorf("cannot check the storage account name %s: %w", o.StorageAccount, err)
	}
	if !deref(avail.NameAvailable, false) {
		if deref(avail.Reason, "") == armstorage.ReasonAccountNameInvalid {
			return nil, fmt.Errorf("invalid storage account name %q: %s", o.StorageAccount, deref(avail.Message, "use 3 to 24 lower-case letters and digits"))
		}
		return nil, &TakenError{Kind: "storage account", Name: o.StorageAccount}
	}
	poller, err := a.accounts.BeginCreate(ctx, o.ResourceGroup, o.StorageAccount, armstorage.AccountCreateParameters{
		Kind:     to.Ptr(armstorage.KindStorageV2),
		Location: to.Ptr(o.Location),
		SKU:      &armstorage.SKU{Name: to.Ptr(armstorage.SKUNameStandardLRS)},
		Properties: &armstorage.AccountPropertiesCreateParameters{
			MinimumTLSVersion:      to.Ptr(armstorage.MinimumTLSVersionTLS12),
			AllowBlobPublicAccess:  to.Ptr(false),
			EnableHTTPSTrafficOnly: to.Ptr(true),
		},
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("cannot create storage account %s: %w", o.StorageAccount, err)
	}
	done, err := poller.PollUntilDone(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("cannot create storage account %s: %w", o.StorageAccount, err)
	}
	return done.Properties, nil
}

// secureAccount brings TLS, HTTPS-only and public blob access of an
// account to what state needs, leaving every other setting alone.
func (a *Azure) secureAccount(ctx context.Context, p *armstorage.AccountProperties, res *Result) error {
	var up armstorage.AccountPropertiesUpdateParameters
	tls := deref(p.MinimumTLSVersion, "")
	tlsOK := tls == armstorage.MinimumTLSVersionTLS12 || tls == armstorage.MinimumTLSVersionTLS13
	if !tlsOK {
		up.MinimumTLSVersion = to.Ptr(armstorage.MinimumTLSVersionTLS12)
		tls = armstorage.MinimumTLSVersionTLS12
	}
	// Both are secure when unset on accounts created since 2023, but an
	// explicit value is what an auditor reads.
	publicOK := p.AllowBlobPublicAccess != nil && !*p.AllowBlobPublicAccess
	if !publicOK {
		up.AllowBlobPublicAccess = to.Ptr(false)
	}
	httpsOK := p.EnableHTTPSTrafficOnly != nil && *p.EnableHTTPSTrafficOnly
	if !httpsOK {
		up.EnableHTTPSTrafficOnly = to.Ptr(true)
	}
	if !tlsOK || !publicOK || !httpsOK {
		if _, err := a.accounts.Update(ctx, a.opts.ResourceGroup, a.opts.StorageAccount, armstorage.AccountUpdateParameters{Properties: &up}, nil); err != nil {
			return fmt.Errorf("cannot secure storage account %s: %w", a.opts.StorageAccount, err)
		}
	}
	enc := "Microsoft-managed keys"
	if p.Encryption != nil && deref(p.Encryption.KeySource, "") == armstorage.KeySourceMicrosoftKeyvault {
		enc = "customer-managed key (Key Vault)"
	}
	res.set("minimum TLS", strings.ReplaceAll(strings.TrimPrefix(string(tls), "TLS"), "_", "."), !tlsOK)
	res.set("HTTPS only", "enabled", !httpsOK)
	res.set("encryption", enc, false)
	res.set("public access", "blocked", !publicOK)
	return nil
}

func (a *Azure) versioning(ctx context.Context, res *Result) error {
	o := a.opts
	cur, err := a.services.GetServiceProperties(ctx, o.ResourceGroup, o.StorageAccount, nil)
	if err != nil {
		return fmt.Errorf("cannot read the blob service of storage account %s: %w", o.StorageAccount, err)
	}
	if p := cur.BlobServiceProperties.BlobServiceProperties; p != nil && deref(p.IsVersioningEnabled, false) {
		res.set("versioning", "enabled", false)
		return nil
	}
	_, err = a.services.SetServiceProperties(ctx, o.ResourceGroup, o.StorageAccount, armstorage.BlobServiceProperties{
		BlobServiceProperties: &armstorage.BlobServicePropertiesProperties{IsVersioningEnabled: to.Ptr(true)},
	}, nil)
	if err != nil {
		return fmt.Errorf("cannot turn on blob versioning of storage account %s: %w", o.StorageAccount, err)
	}
	res.set("versioning", "enabled", true)
	return nil
}

func (a *Azure) container(ctx context.Context, res *Result) error {
	o := a.opts
	_, err := a.containers.Get(ctx, o.ResourceGroup, o.StorageAccount, o.Container, nil)
	if status, _ := azStatus(err); err != nil && status != http.StatusNotFound {
		return fmt.Errorf("cannot look up container %s: %w", o.Container, err)
	} else if err == nil {
		res.set("container", o.Container, false)
		return nil
	}
	_, err = a.containers.Create(ctx, o.ResourceGroup, o.StorageAccount, o.Container, armstorage.BlobContainer{
		ContainerProperties: &armstorage.ContainerProperties{PublicAccess: to.Ptr(armstorage.PublicAccessNone)},
	}, nil)
	if err != nil {
		return fmt.Errorf("cannot create container %s: %w", o.Container, err)
	}
	res.set("container", o.Container, true)
	return nil
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
