package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/skyform/skyform/internal/importer"
)

// azureEndpointEnv points the Azure import at another Resource Manager
// endpoint (tests, compatible APIs): Resource Manager and Entra ID are
// reached there, and so are the Blob Storage hosts of function packages.
const azureEndpointEnv = "SKYFORM_AZURE_ENDPOINT"

// importAzure reads Azure with the default credential chain
// (environment, workload identity, managed identity, Azure CLI).
func importAzure(ctx context.Context, a *importArgs, opts importer.Options) (*importer.Result, error) {
	sub := a.Subscription
	if sub == "" {
		sub = firstEnv("AZURE_SUBSCRIPTION_ID", "ARM_SUBSCRIPTION_ID")
	}
	if sub == "" {
		return nil, failure(exitUsage, errors.New("--subscription is required for azure: the subscription ID to read (or set AZURE_SUBSCRIPTION_ID)"))
	}
	copts := policy.ClientOptions{}
	credOpts := &azidentity.DefaultAzureCredentialOptions{}
	if ep := os.Getenv(azureEndpointEnv); ep != "" {
		u, err := url.Parse(ep)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, failure(exitUsage, fmt.Errorf("%s=%q: write the endpoint as https://HOST[:PORT]", azureEndpointEnv, ep))
		}
		copts.Cloud = cloud.Configuration{
			ActiveDirectoryAuthorityHost: ep,
			Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
				cloud.ResourceManager: {Endpoint: ep, Audience: "https://management.azure.com"},
			},
		}
		copts.Transport = &http.Client{Transport: blobHostTransport{host: u.Host, base: http.DefaultTransport}}
		credOpts.ClientOptions = copts
		// Another authority has no instance discovery of Entra ID's.
		credOpts.DisableInstanceDiscovery = true
	}
	cred, err := azidentity.NewDefaultAzureCredential(credOpts)
	if err != nil {
		return nil, failure(exitSystem, fmt.Errorf("cannot set up the Azure credentials: %w", err))
	}
	return importer.ImportAzure(ctx, importer.AzureOptions{Subscription: sub, Credential: cred, Client: &arm.ClientOptions{ClientOptions: copts}}, opts)
}

// blobHostTransport sends requests for Blob Storage hosts
// (<account>.blob.core.windows.net) to host instead, with their Host
// header, as a test endpoint serves every account.
type blobHostTransport struct {
	host string
	base http.RoundTripper
}

func (t blobHostTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Hostname(), ".blob.core.windows.net") {
		r = r.Clone(r.Context())
		r.Host = r.URL.Host
		r.URL.Host = t.host
	}
	return t.base.RoundTrip(r)
}
