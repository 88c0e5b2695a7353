// Package fakeblob is an in-process Azure Blob Storage for tests: the part
// of the Blob service REST API terraform's azurerm backend uses (get, put
// and delete a block blob, its properties and metadata, listing a
// container, and leases: acquire, renew, release, break), with every
// request's Shared Key signature checked against the account key.
//
// The azurerm backend builds the blob endpoint itself, as
// https://ACCOUNT.blob.SUFFIX, with the storage suffix of its cloud
// environment, which its metadata_host setting lets it read from a
// metadata service. The fake serves both over TLS under names of a
// reserved top-level domain (MetadataHost, *.blob.StorageSuffix), with a
// certificate authority of its own for SSL_CERT_FILE, and reaches them
// through Proxy, an HTTPS proxy (HTTPS_PROXY) that tunnels those names to
// the fake and refuses every other: nothing leaves the machine.
//
// HoldUnlocks keeps every lease and terraform's lock information in place
// until released, so a second terraform run meets a run that holds the
// state lock for as long as the test needs.
package fakeblob

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// StorageSuffix is the storage suffix of the fake's cloud environment:
	// blob endpoints are https://ACCOUNT.blob.StorageSuffix.
	StorageSuffix = "skyform.test"
	// MetadataHost serves the environment (the azurerm backend's
	// metadata_host).
	MetadataHost = "management.skyform.test"
)

// Server is a running fake Blob Storage with one storage account.
type Server struct {
	// Account and Key are the storage account's name and access key
	// (base64, as ARM_ACCESS_KEY takes it).
	Account, Key string
	// Proxy is the HTTPS proxy's URL, for HTTPS_PROXY.
	Proxy string

	tls   *httptest.Server
	proxy *httptest.Server
	ca    []byte
	key   []byte

	mu         sync.Mutex
	containers map[string]map[string]*blob
	hold       chan struct{}
	refused    []string
}

type blob struct {
	data        []byte
	contentType string
	meta        map[string]string
	modified    time.Time
	etag        string
	lease       string // the lease ID while leased
}

// New starts a fake Blob Storage with the storage account and no
// containers; Close stops it.
func New(account string) (*Server, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	cert, ca, err := newCertificates(MetadataHost, "*.blob."+StorageSuffix)
	if err != nil {
		return nil, fmt.Errorf("cannot make the fake's certificates: %w", err)
	}
	s := &Server{
		Account: account, Key: base64.StdEncoding.EncodeToString(key),
		ca: ca, key: key, containers: map[string]map[string]*blob{},
	}
	s.tls = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.tls.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.tls.StartTLS()
	s.proxy = httptest.NewServer(http.HandlerFunc(s.tunnel))
	s.Proxy = s.proxy.URL
	return s, nil
}

// Close stops the fake and its proxy.
func (s *Server) Close() {
	s.proxy.Close()
	s.tls.Close()
}

// CACert is the PEM of the authority that signed the fake's certificate.
func (s *Server) CACert() []byte { return s.ca }

// BlobEndpoint is the account's blob endpoint, as the azurerm backend
// builds it.
func (s *Server) BlobEndpoint() string { return "https://" + s.Account + ".blob." + StorageSuffix }

// tunnel serves CONNECT to the fake's names, and refuses anything else.
func (s *Server) tunnel(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	if r.Method != http.MethodConnect || !(host == MetadataHost || strings.HasSuffix(host, ".blob."+StorageSuffix)) {
		s.mu.Lock()
		s.refused = append(s.refused, r.Method+" "+r.Host)
		s.mu.Unlock()
		http.Error(w, "the fake blob storage's proxy only tunnels to "+MetadataHost+" and *.blob."+StorageSuffix, http.StatusForbidden)
		return
	}
	upstream, err := net.Dial("tcp", s.tls.Listener.Addr().String())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		upstream.Close()
		http.Error(w, "cannot tunnel", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
	conn, buf, err := hj.Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	go func() {
		defer upstream.Close()
		defer conn.Close()
		done := make(chan struct{})
		go func() {
			_, _ = io.Copy(upstream, buf)
			close(done)
		}()
		_, _ = io.Copy(conn, upstream)
		<-done
	}()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	switch {
	case host == MetadataHost && r.URL.Path == "/metadata/endpoints":
		s.metadata(w)
	case host == s.Account+".blob."+StorageSuffix:
		s.blobService(w, r)
	default:
		writeError(w, http.StatusBadRequest, "InvalidUri", "no such host "+host)
	}
}

// metadata describes the fake's cloud environment, in the form of the
// metadata service's endpoints document (api-version 2022-09-01).
func (s *Server) metadata(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"name":                     "SkyformTest",
		"resourceManager":          "https://" + MetadataHost + "/",
		"microsoftGraphResourceId": "https://graph." + StorageSuffix + "/",
		"authentication": map[string]any{
			"loginEndpoint": "https://login." + StorageSuffix + "/",
			"audiences":     []string{"https://" + MetadataHost + "/"},
			"tenant":        "common",
		},
		"suffixes": map[string]any{"storage": StorageSuffix},
	})
}

func (s *Server) blobService(w http.ResponseWriter, r *http.Request) {
	if err := s.authorize(r); err != nil {
		writeError(w, http.StatusForbidden, "AuthenticationFailed", err.Error())
		return
	}
	w.Header().Set("x-ms-request-id", fmt.Sprintf("%d", time.Now().UnixNano()))
	w.Header().Set("x-ms-version", r.Header.Get("x-ms-version"))
	container, name, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	s.mu.Lock()
	blobs, ok := s.containers[container]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "ContainerNotFound", "The specified container does not exist.")
		return
	}
	if name == "" {
		switch {
		case q.Get("restype") == "container" && q.Get("comp") == "list" && r.Method == http.MethodGet:
			s.list(w, container, q.Get("prefix"))
		case q.Get("restype") == "container" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			w.Header().Set("x-ms-lease-status", "unlocked")
			w.Header().Set("x-ms-lease-state", "available")
			w.WriteHeader(http.StatusOK)
		default:
			writeError(w, http.StatusBadRequest, "UnsupportedHttpVerb", "the fake does not serve "+r.Method+" "+r.URL.RequestURI())
		}
		return
	}
	switch {
	case q.Get("comp") == "lease" && r.Method == http.MethodPut:
		s.leaseBlob(w, r, blobs, name)
	case q.Get("comp") == "metadata" && r.Method == http.MethodPut:
		s.setMetadata(w, r, blobs, name)
	case len(q) == 0 && r.Method == http.MethodPut:
		s.putBlob(w, r, blobs, name)
	case len(q) == 0 && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		s.getBlob(w, r, blobs, name)
	case len(q) == 0 && r.Method == http.MethodDelete:
		s.deleteBlob(w, r, blobs, name)
	default:
		writeError(w, http.StatusBadRequest, "UnsupportedHttpVerb", "the fake does not serve "+r.Method+" "+r.URL.RequestURI())
	}
}

// authorize checks the request's Shared Key signature (Authorization:
// SharedKey ACCOUNT:SIGNATURE) against the account key.
func (s *Server) authorize(r *http.Request) error {
	auth := r.Header.Get("Authorization")
	sig, ok := strings.CutPrefix(auth, "SharedKey "+s.Account+":")
	if !ok {
		return fmt.Errorf("want a Shared Key signature for account %s, got %q", s.Account, strings.SplitN(auth, ":", 2)[0])
	}
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(stringToSign(s.Account, r)))
	want := base64.StdEncoding.EncodeToString(h.Sum(nil))
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return fmt.Errorf("the Shared Key signature does not match the account key")
	}
	return nil
}

// stringToSign is the Shared Key string to sign of a Blob service request
// (version 2009-09-19 and later).
func stringToSign(account string, r *http.Request) string {
	h := r.Header
	length := ""
	if r.ContentLength > 0 {
		length = strconv.FormatInt(r.ContentLength, 10)
	}
	date := h.Get("Date")
	if h.Get("x-ms-date") != "" {
		date = ""
	}
	var names []string
	for k := range h {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-ms-") {
			names = append(names, lk)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range []string{r.Method, h.Get("Content-Encoding"), h.Get("Content-Language"), length, h.Get("Content-MD5"),
		h.Get("Content-Type"), date, h.Get("If-Modified-Since"), h.Get("If-Match"), h.Get("If-None-Match"),
		h.Get("If-Unmodified-Since"), h.Get("Range")} {
		b.WriteString(n)
		b.WriteByte('\n')
	}
	for _, n := range names {
		b.WriteString(n + ":" + strings.TrimSpace(h.Get(n)) + "\n")
	}
	b.WriteString("/" + account + r.URL.EscapedPath())
	q := r.URL.Query()
	var keys []string
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vs := q[k]
		sort.Strings(vs)
		b.WriteString("\n" + strings.ToLower(k) + ":" + strings.Join(vs, ","))
	}
	return b.String()
}

// leaseOK applies a blob's lease to a write: a leased blob takes writes
// only with its lease ID, and a blob without a lease none with one.
func leaseOK(w http.ResponseWriter, r *http.Request, b *blob) bool {
	id := r.Header.Get("x-ms-lease-id")
	switch {
	case b == nil || b.lease == "":
		if id != "" && b != nil {
			writeError(w, http.StatusPreconditionFailed, "LeaseNotPresentWithBlobOperation", "There is currently no lease on the blob.")
			return false
		}
	case id == "":
		writeError(w, http.StatusPreconditionFailed, "LeaseIdMissing", "There is currently a lease on the blob and no lease ID was specified in the request.")
		return false
	case id != b.lease:
		writeError(w, http.StatusPreconditionFailed, "LeaseIdMismatchWithBlobOperation", "The lease ID specified did not match the lease ID for the blob.")
		return false
	}
	return true
}

func (s *Server) putBlob(w http.ResponseWriter, r *http.Request, blobs map[string]*blob, name string) {
	if t := r.Header.Get("x-ms-blob-type"); t != "BlockBlob" {
		writeError(w, http.StatusBadRequest, "InvalidHeaderValue", "the fake stores block blobs only, not "+t)
		return
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "InvalidInput", err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := blobs[name]
	if !leaseOK(w, r, cur) {
		return
	}
	b := &blob{data: data, contentType: r.Header.Get("Content-Type"), meta: metadataOf(r.Header)}
	if cur != nil {
		b.lease = cur.lease
	}
	b.touch()
	blobs[name] = b
	w.Header().Set("ETag", b.etag)
	w.Header().Set("Last-Modified", b.modified.Format(http.TimeFormat))
	sum := md5.Sum(data)
	w.Header().Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
	w.Header().Set("x-ms-request-server-encrypted", "true")
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) getBlob(w http.ResponseWriter, r *http.Request, blobs map[string]*blob, name string) {
	s.mu.Lock()
	b := blobs[name]
	var data []byte
	if b != nil {
		data = b.data
		s.properties(w.Header(), b)
	}
	s.mu.Unlock()
	if b == nil {
		writeError(w, http.StatusNotFound, "BlobNotFound", "The specified blob does not exist.")
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(data)
	}
}

// properties writes a blob's system properties and metadata as headers.
func (s *Server) properties(h http.Header, b *blob) {
	if b.contentType != "" {
		h.Set("Content-Type", b.contentType)
	}
	h.Set("ETag", b.etag)
	h.Set("Last-Modified", b.modified.Format(http.TimeFormat))
	h.Set("x-ms-creation-time", b.modified.Format(http.TimeFormat))
	h.Set("x-ms-blob-type", "BlockBlob")
	h.Set("x-ms-server-encrypted", "true")
	h.Set("x-ms-access-tier", "Hot")
	if b.lease != "" {
		h.Set("x-ms-lease-status", "locked")
		h.Set("x-ms-lease-state", "leased")
		h.Set("x-ms-lease-duration", "infinite")
	} else {
		h.Set("x-ms-lease-status", "unlocked")
		h.Set("x-ms-lease-state", "available")
	}
	for k, v := range b.meta {
		h.Set("x-ms-meta-"+k, v)
	}
}

func (s *Server) deleteBlob(w http.ResponseWriter, r *http.Request, blobs map[string]*blob, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := blobs[name]
	if b == nil {
		writeError(w, http.StatusNotFound, "BlobNotFound", "The specified blob does not exist.")
		return
	}
	if !leaseOK(w, r, b) {
		return
	}
	delete(blobs, name)
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) setMetadata(w http.ResponseWriter, r *http.Request, blobs map[string]*blob, name string) {
	// terraform unlocks by first removing its lock information, then
	// releasing the lease: a held lock keeps both.
	s.mu.Lock()
	hold := s.hold
	b := blobs[name]
	unlocking := b != nil && b.meta[lockInfoKey] != "" && metadataOf(r.Header)[lockInfoKey] == ""
	s.mu.Unlock()
	if hold != nil && unlocking {
		<-hold
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b = blobs[name]
	if b == nil {
		writeError(w, http.StatusNotFound, "BlobNotFound", "The specified blob does not exist.")
		return
	}
	if !leaseOK(w, r, b) {
		return
	}
	b.meta = metadataOf(r.Header)
	b.touch()
	w.Header().Set("ETag", b.etag)
	w.Header().Set("Last-Modified", b.modified.Format(http.TimeFormat))
	w.WriteHeader(http.StatusOK)
}

// leaseBlob serves Lease Blob: acquire (infinite leases), renew, release
// and break (at once).
func (s *Server) leaseBlob(w http.ResponseWriter, r *http.Request, blobs map[string]*blob, name string) {
	action := r.Header.Get("x-ms-lease-action")
	if action == "release" {
		s.mu.Lock()
		hold := s.hold
		s.mu.Unlock()
		if hold != nil {
			<-hold
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := blobs[name]
	if b == nil {
		writeError(w, http.StatusNotFound, "BlobNotFound", "The specified blob does not exist.")
		return
	}
	id := r.Header.Get("x-ms-lease-id")
	switch action {
	case "acquire":
		proposed := r.Header.Get("x-ms-proposed-lease-id")
		if b.lease != "" && b.lease != proposed {
			writeError(w, http.StatusConflict, "LeaseAlreadyPresent", "There is already a lease present.")
			return
		}
		if proposed == "" {
			proposed = newLeaseID()
		}
		b.lease = proposed
		w.Header().Set("x-ms-lease-id", proposed)
		w.WriteHeader(http.StatusCreated)
	case "renew", "release":
		if b.lease == "" {
			writeError(w, http.StatusConflict, "LeaseNotPresentWithLeaseOperation", "There is currently no lease on the blob.")
			return
		}
		if id != b.lease {
			writeError(w, http.StatusConflict, "LeaseIdMismatchWithLeaseOperation", "The lease ID specified did not match the lease ID for the blob.")
			return
		}
		if action == "release" {
			b.lease = ""
		} else {
			w.Header().Set("x-ms-lease-id", id)
		}
		w.WriteHeader(http.StatusOK)
	case "break":
		if b.lease == "" {
			writeError(w, http.StatusConflict, "LeaseNotPresentWithLeaseOperation", "There is currently no lease on the blob.")
			return
		}
		b.lease = ""
		w.Header().Set("x-ms-lease-time", "0")
		w.WriteHeader(http.StatusAccepted)
	default:
		writeError(w, http.StatusBadRequest, "InvalidHeaderValue", "the fake does not serve lease action "+action)
	}
}

func (s *Server) list(w http.ResponseWriter, container, prefix string) {
	type props struct {
		LastModified  string `xml:"Last-Modified"`
		Etag          string `xml:"Etag"`
		ContentLength int    `xml:"Content-Length"`
		ContentType   string `xml:"Content-Type"`
		BlobType      string `xml:"BlobType"`
		LeaseStatus   string `xml:"LeaseStatus"`
		LeaseState    string `xml:"LeaseState"`
	}
	type item struct {
		Name       string `xml:"Name"`
		Properties props  `xml:"Properties"`
	}
	type result struct {
		XMLName         xml.Name `xml:"EnumerationResults"`
		ServiceEndpoint string   `xml:"ServiceEndpoint,attr"`
		ContainerName   string   `xml:"ContainerName,attr"`
		Prefix          string   `xml:"Prefix"`
		Blobs           []item   `xml:"Blobs>Blob"`
		NextMarker      string   `xml:"NextMarker"`
	}
	res := result{ServiceEndpoint: s.BlobEndpoint() + "/", ContainerName: container, Prefix: prefix}
	s.mu.Lock()
	var names []string
	for n := range s.containers[container] {
		if strings.HasPrefix(n, prefix) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		b := s.containers[container][n]
		st, state := "unlocked", "available"
		if b.lease != "" {
			st, state = "locked", "leased"
		}
		res.Blobs = append(res.Blobs, item{Name: n, Properties: props{
			LastModified: b.modified.Format(http.TimeFormat), Etag: b.etag, ContentLength: len(b.data),
			ContentType: b.contentType, BlobType: "BlockBlob", LeaseStatus: st, LeaseState: state,
		}})
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/xml")
	_, _ = io.WriteString(w, xml.Header)
	_ = xml.NewEncoder(w).Encode(res)
}

func (b *blob) touch() {
	b.modified = time.Now().UTC()
	b.etag = fmt.Sprintf(`"0x%X"`, b.modified.UnixNano())
}

// metadataOf reads x-ms-meta-* headers; names are case-insensitive and
// kept in lower case.
func metadataOf(h http.Header) map[string]string {
	meta := map[string]string{}
	for k := range h {
		if name, ok := strings.CutPrefix(strings.ToLower(k), "x-ms-meta-"); ok {
			meta[name] = h.Get(k)
		}
	}
	return meta
}

func newLeaseID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-ms-error-code", code)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header+"<Error><Code>"+code+"</Code><Message>"+msg+"</Message></Error>")
}

// CreateContainer makes a blob container, as if someone else had.
func (s *Server) CreateContainer(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.containers[name] == nil {
		s.containers[name] = map[string]*blob{}
	}
}

// Blob returns a blob's content and metadata, and whether it exists.
func (s *Server) Blob(container, name string) (data []byte, meta map[string]string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.containers[container][name]
	if b == nil {
		return nil, nil, false
	}
	meta = map[string]string{}
	for k, v := range b.meta {
		meta[k] = v
	}
	return append([]byte(nil), b.data...), meta, true
}

// Leased tells whether a blob exists and is leased.
func (s *Server) Leased(container, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.containers[container][name]
	return b != nil && b.lease != ""
}

// Refused lists the requests the proxy refused (method and host): any
// would have left the machine.
func (s *Server) Refused() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.refused...)
}

// lockInfoKey is the metadata terraform's azurerm backend keeps its lock
// information in while it holds the lease.
const lockInfoKey = "terraformlockid"

// HoldUnlocks makes every unlock wait until release is called: the removal
// of terraform's lock information from a blob's metadata, and every lease
// release. The run that holds the state lock keeps it, lock information
// included. release is safe to call more than once.
func (s *Server) HoldUnlocks() (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.hold = ch
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.hold = nil
			s.mu.Unlock()
			close(ch)
		})
	}
}

// LeaseBlob leases a blob with leaseID and gives it metadata, creating it
// empty if missing, as if someone else had (the lock a run that died
// left behind).
func (s *Server) LeaseBlob(container, name, leaseID string, meta map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.containers[container] == nil {
		s.containers[container] = map[string]*blob{}
	}
	b := s.containers[container][name]
	if b == nil {
		b = &blob{contentType: "application/json"}
		s.containers[container][name] = b
	}
	b.lease, b.meta = leaseID, map[string]string{}
	for k, v := range meta {
		b.meta[k] = v
	}
	b.touch()
}
