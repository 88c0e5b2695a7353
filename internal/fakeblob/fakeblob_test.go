package fakeblob

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func start(t *testing.T) (*Server, *http.Client) {
	t.Helper()
	s, err := New("acct")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	s.CreateContainer("state")
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.CACert()) {
		t.Fatal("the CA PEM holds no certificate")
	}
	proxy, _ := url.Parse(s.Proxy)
	c := &http.Client{Transport: &http.Transport{
		Proxy:           http.ProxyURL(proxy),
		TLSClientConfig: &tls.Config{RootCAs: pool},
	}}
	t.Cleanup(c.CloseIdleConnections)
	return s, c
}

// do sends a request to the account's blob endpoint, signed with key
// ("" sends it unsigned), and returns the status and x-ms-error-code.
func do(t *testing.T, s *Server, c *http.Client, key, method, path string, body []byte, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.BlobEndpoint()+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == nil {
		req.Body, req.ContentLength = nil, 0
	}
	req.Header.Set("x-ms-date", time.Now().UTC().Format(http.TimeFormat))
	req.Header.Set("x-ms-version", "2023-11-03")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if key != "" {
		sign(req, s.Account, key)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp, resp.Header.Get("x-ms-error-code")
}

// sign adds a Shared Key signature with key (base64) to req.
func sign(req *http.Request, account, key string) {
	k, _ := base64.StdEncoding.DecodeString(key)
	h := hmac.New(sha256.New, k)
	h.Write([]byte(stringToSign(account, req)))
	req.Header.Set("Authorization", "SharedKey "+account+":"+base64.StdEncoding.EncodeToString(h.Sum(nil)))
}

// TestProxyTunnelsOnlyTheFake: the proxy reaches the fake's names and
// refuses any other host, so a client pointed at it cannot leave the
// machine.
func TestProxyTunnelsOnlyTheFake(t *testing.T) {
	s, c := start(t)
	resp, err := c.Get("https://" + MetadataHost + "/metadata/endpoints?api-version=2022-09-01")
	if err != nil {
		t.Fatalf("metadata through the proxy: %v", err)
	}
	var env struct {
		Name     string            `json:"name"`
		Suffixes map[string]string `json:"suffixes"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if env.Suffixes["storage"] != StorageSuffix || env.Name == "" {
		t.Fatalf("metadata: %+v", env)
	}
	for _, u := range []string{"https://example.org/", "https://acct.blob.example.org/", "https://" + StorageSuffix + "/"} {
		if _, err := c.Get(u); err == nil || !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("GET %s through the proxy: got %v, want the proxy's refusal", u, err)
		}
	}
	proxy, _ := url.Parse(s.Proxy)
	plain := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy)}}
	resp, err = plain.Get("http://example.org/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("plain HTTP through the proxy: %d, want 403", resp.StatusCode)
	}
	want := []string{"CONNECT example.org:443", "CONNECT acct.blob.example.org:443", "CONNECT " + StorageSuffix + ":443", "GET example.org"}
	if got := s.Refused(); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("refused %q, want %q", got, want)
	}
}

func TestSharedKey(t *testing.T) {
	s, c := start(t)
	if resp, code := do(t, s, c, "", http.MethodGet, "/state?restype=container&comp=list", nil); resp.StatusCode != http.StatusForbidden || code != "AuthenticationFailed" {
		t.Errorf("unsigned: %d %s, want 403 AuthenticationFailed", resp.StatusCode, code)
	}
	other := base64.StdEncoding.EncodeToString([]byte("not the account key, not at all"))
	if resp, code := do(t, s, c, other, http.MethodGet, "/state?restype=container&comp=list", nil); resp.StatusCode != http.StatusForbidden || code != "AuthenticationFailed" {
		t.Errorf("another key: %d %s, want 403 AuthenticationFailed", resp.StatusCode, code)
	}
	if resp, _ := do(t, s, c, s.Key, http.MethodGet, "/state?restype=container&comp=list", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the account key: %d, want 200", resp.StatusCode)
	}
}

// TestLease plays terraform's azurerm lock: create the blob, lease it,
// write lock information as metadata under the lease, release.
func TestLease(t *testing.T) {
	s, c := start(t)
	k := s.Key
	const p = "/state/app/terraform.tfstate"
	want := func(what string, resp *http.Response, code string, status int, wantCode string) {
		t.Helper()
		if resp.StatusCode != status || code != wantCode {
			t.Errorf("%s: %d %q, want %d %q", what, resp.StatusCode, code, status, wantCode)
		}
	}
	resp, code := do(t, s, c, k, http.MethodHead, p, nil)
	want("properties of a missing blob", resp, code, 404, "BlobNotFound")
	resp, code = do(t, s, c, k, http.MethodPut, p, []byte{}, "x-ms-blob-type", "BlockBlob", "Content-Type", "application/json")
	want("create", resp, code, 201, "")
	resp, code = do(t, s, c, k, http.MethodPut, p+"?comp=lease", nil, "x-ms-lease-action", "acquire", "x-ms-lease-duration", "-1", "x-ms-proposed-lease-id", "lease-a")
	want("acquire", resp, code, 201, "")
	if got := resp.Header.Get("x-ms-lease-id"); got != "lease-a" {
		t.Errorf("acquire: lease %q, want the proposed one", got)
	}
	resp, code = do(t, s, c, k, http.MethodPut, p+"?comp=lease", nil, "x-ms-lease-action", "acquire", "x-ms-lease-duration", "-1", "x-ms-proposed-lease-id", "lease-b")
	want("second acquire", resp, code, 409, "LeaseAlreadyPresent")
	resp, code = do(t, s, c, k, http.MethodHead, p, nil)
	want("properties", resp, code, 200, "")
	if resp.Header.Get("x-ms-lease-status") != "locked" || resp.Header.Get("x-ms-lease-state") != "leased" {
		t.Errorf("properties of a leased blob: status %q state %q", resp.Header.Get("x-ms-lease-status"), resp.Header.Get("x-ms-lease-state"))
	}
	resp, code = do(t, s, c, k, http.MethodPut, p+"?comp=metadata", nil, "x-ms-meta-terraformlockid", "aW5mbw==")
	want("metadata without the lease", resp, code, 412, "LeaseIdMissing")
	resp, code = do(t, s, c, k, http.MethodPut, p+"?comp=metadata", nil, "x-ms-meta-terraformlockid", "aW5mbw==", "x-ms-lease-id", "lease-b")
	want("metadata with another lease", resp, code, 412, "LeaseIdMismatchWithBlobOperation")
	resp, code = do(t, s, c, k, http.MethodPut, p+"?comp=metadata", nil, "x-ms-meta-terraformlockid", "aW5mbw==", "x-ms-lease-id", "lease-a")
	want("metadata with the lease", resp, code, 200, "")
	resp, code = do(t, s, c, k, http.MethodPut, p, []byte(`{"version":4}`), "x-ms-blob-type", "BlockBlob")
	want("write without the lease", resp, code, 412, "LeaseIdMissing")
	resp, code = do(t, s, c, k, http.MethodPut, p, []byte(`{"version":4}`), "x-ms-blob-type", "BlockBlob", "x-ms-lease-id", "lease-a", "x-ms-meta-terraformlockid", "aW5mbw==")
	want("write with the lease", resp, code, 201, "")
	resp, code = do(t, s, c, k, http.MethodGet, p, nil)
	want("read", resp, code, 200, "")
	body, _ := io.ReadAll(resp.Body)
	if string(body) != `{"version":4}` || resp.Header.Get("X-Ms-Meta-Terraformlockid") != "aW5mbw==" {
		t.Errorf("read: %q, metadata %q", body, resp.Header.Get("X-Ms-Meta-Terraformlockid"))
	}
	resp, code = do(t, s, c, k, http.MethodPut, p+"?comp=lease", nil, "x-ms-lease-action", "release", "x-ms-lease-id", "lease-b")
	want("release another lease", resp, code, 409, "LeaseIdMismatchWithLeaseOperation")
	resp, code = do(t, s, c, k, http.MethodPut, p+"?comp=lease", nil, "x-ms-lease-action", "release", "x-ms-lease-id", "lease-a")
	want("release", resp, code, 200, "")
	if s.Leased("state", "app/terraform.tfstate") {
		t.Error("still leased after release")
	}
	resp, code = do(t, s, c, k, http.MethodPut, p+"?comp=lease", nil, "x-ms-lease-action", "acquire", "x-ms-lease-duration", "-1", "x-ms-proposed-lease-id", "lease-b")
	want("acquire after release", resp, code, 201, "")
	resp, code = do(t, s, c, k, http.MethodPut, p+"?comp=lease", nil, "x-ms-lease-action", "break")
	want("break", resp, code, 202, "")
	resp, code = do(t, s, c, k, http.MethodDelete, p, nil)
	want("delete", resp, code, 202, "")
	if _, _, ok := s.Blob("state", "app/terraform.tfstate"); ok {
		t.Error("the blob is still there")
	}
}

// TestHoldUnlocks keeps a lease and terraform's lock information until
// released: terraform unlocks by clearing the metadata, then releasing.
func TestHoldUnlocks(t *testing.T) {
	s, c := start(t)
	const p = "/state/app/terraform.tfstate"
	do(t, s, c, s.Key, http.MethodPut, p, []byte{}, "x-ms-blob-type", "BlockBlob")
	do(t, s, c, s.Key, http.MethodPut, p+"?comp=lease", nil, "x-ms-lease-action", "acquire", "x-ms-lease-duration", "-1", "x-ms-proposed-lease-id", "lease-a")
	do(t, s, c, s.Key, http.MethodPut, p+"?comp=metadata", nil, "x-ms-lease-id", "lease-a", "x-ms-meta-terraformlockid", "aW5mbw==")
	release := s.HoldUnlocks()
	done := make(chan string, 1)
	go func() {
		for _, h := range [][]string{{"comp=metadata"}, {"comp=lease", "x-ms-lease-action", "release"}} {
			req, _ := http.NewRequest(http.MethodPut, s.BlobEndpoint()+p+"?"+h[0], nil)
			req.Header.Set("x-ms-date", time.Now().UTC().Format(http.TimeFormat))
			req.Header.Set("x-ms-lease-id", "lease-a")
			if len(h) > 1 {
				req.Header.Set(h[1], h[2])
			}
			sign(req, s.Account, s.Key)
			resp, err := c.Do(req)
			if err != nil {
				done <- err.Error()
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				done <- h[0] + ": " + resp.Status
				return
			}
		}
		done <- ""
	}()
	select {
	case msg := <-done:
		t.Fatalf("the unlock returned while held: %q", msg)
	case <-time.After(200 * time.Millisecond):
	}
	if _, meta, _ := s.Blob("state", "app/terraform.tfstate"); !s.Leased("state", "app/terraform.tfstate") || meta["terraformlockid"] == "" {
		t.Fatalf("held lock is gone: leased %v, metadata %v", s.Leased("state", "app/terraform.tfstate"), meta)
	}
	release()
	release()
	if msg := <-done; msg != "" {
		t.Fatalf("unlock after letting go: %s", msg)
	}
	if _, meta, _ := s.Blob("state", "app/terraform.tfstate"); s.Leased("state", "app/terraform.tfstate") || meta["terraformlockid"] != "" {
		t.Fatalf("released lock is still there: metadata %v", meta)
	}
}
