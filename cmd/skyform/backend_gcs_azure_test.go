package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/skyform/skyform/internal/fakeblob"
	"github.com/skyform/skyform/internal/fakegcs"
	"github.com/skyform/skyform/state"
)

// fakeGCSs holds each script's fake Cloud Storage, which lives in the test
// process for as long as the script runs.
var fakeGCSs sync.Map // *testscript.TestScript -> *fakegcs.Server

// fakegcs starts an in-process Cloud Storage for the script, sets
// $GCS_ENDPOINT to its JSON API and GOOGLE_APPLICATION_CREDENTIALS to a
// service account key of the fake's (its token endpoint is the fake's, so
// skyform and terraform get their tokens there), and writes
// $WORK/fakegcs.tfbackend: the setting that points terraform's gcs
// backend at the fake, as a --backend-config file.
func cmdFakeGCS(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: fakegcs")
	}
	srv, err := fakegcs.New()
	ts.Check(err)
	fakeGCSs.Store(ts, srv)
	ts.Defer(func() {
		fakeGCSs.Delete(ts)
		srv.Close()
	})
	refuseEgress(ts)
	ts.Setenv("GCS_ENDPOINT", srv.Endpoint())
	key := ts.MkAbs("fakegcs-key.json")
	ts.Check(os.WriteFile(key, srv.ServiceAccountKey(), 0o600))
	ts.Setenv("GOOGLE_APPLICATION_CREDENTIALS", key)
	for _, k := range []string{"GOOGLE_OAUTH_ACCESS_TOKEN", "GOOGLE_CREDENTIALS", "GOOGLE_BACKEND_CREDENTIALS", "GOOGLE_CLOUD_PROJECT", "CLOUDSDK_CONFIG"} {
		ts.Setenv(k, "")
	}
	settings := fmt.Sprintf("storage_custom_endpoint = %q\n", srv.Endpoint())
	ts.Check(os.WriteFile(ts.MkAbs("fakegcs.tfbackend"), []byte(settings), 0o644))
}

func fakeGCS(ts *testscript.TestScript) *fakegcs.Server {
	v, ok := fakeGCSs.Load(ts)
	if !ok {
		ts.Fatalf("no fake Cloud Storage: run fakegcs first")
	}
	return v.(*fakegcs.Server)
}

// gcsobject [!] BUCKET NAME [RESOURCES] checks that an object exists (or
// does not) in the fake Cloud Storage; with RESOURCES, that it is a
// terraform state holding that many managed resources.
func cmdGCSObject(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 && (len(args) != 3 || neg) {
		ts.Fatalf("usage: gcsobject [!] BUCKET NAME | gcsobject BUCKET NAME RESOURCES")
	}
	data, ok := fakeGCS(ts).Object(args[0], args[1])
	checkStateObject(ts, neg, "gs://"+args[0]+"/"+args[1], data, ok, args[2:])
}

// checkStateObject is the common part of gcsobject and blobobject.
func checkStateObject(ts *testscript.TestScript, neg bool, name string, data []byte, ok bool, want []string) {
	switch {
	case ok && neg:
		ts.Fatalf("%s exists", name)
	case !ok && !neg:
		ts.Fatalf("%s does not exist", name)
	case !ok:
		return
	}
	ts.Logf("%s: %d bytes", name, len(data))
	if len(want) == 0 {
		return
	}
	n, err := strconv.Atoi(want[0])
	ts.Check(err)
	got, err := state.CountResources(data)
	if err != nil {
		ts.Fatalf("%s: %v", name, err)
	}
	if got != n {
		ts.Fatalf("%s holds %d managed resources, want %d", name, got, n)
	}
}

// gcsbucket BUCKET PROJECT wants the bucket in the fake, created in
// PROJECT (an empty argument for one gcscreatebucket made), versioned,
// with uniform bucket-level access and public access prevented.
func cmdGCSBucket(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: gcsbucket BUCKET PROJECT")
	}
	doc, ok := fakeGCS(ts).Bucket(args[0])
	if !ok {
		ts.Fatalf("gs://%s does not exist", args[0])
	}
	if p := fakeGCS(ts).Project(args[0]); p != args[1] {
		ts.Fatalf("gs://%s was created in project %q, want %q", args[0], p, args[1])
	}
	var b struct {
		Versioning struct {
			Enabled bool `json:"enabled"`
		} `json:"versioning"`
		IamConfiguration struct {
			UniformBucketLevelAccess struct {
				Enabled bool `json:"enabled"`
			} `json:"uniformBucketLevelAccess"`
			PublicAccessPrevention string `json:"publicAccessPrevention"`
		} `json:"iamConfiguration"`
	}
	data, _ := json.Marshal(doc)
	ts.Check(json.Unmarshal(data, &b))
	if !b.Versioning.Enabled || !b.IamConfiguration.UniformBucketLevelAccess.Enabled || b.IamConfiguration.PublicAccessPrevention != "enforced" {
		ts.Fatalf("gs://%s: versioning %v, uniform bucket-level access %v, public access prevention %q", args[0],
			b.Versioning.Enabled, b.IamConfiguration.UniformBucketLevelAccess.Enabled, b.IamConfiguration.PublicAccessPrevention)
	}
}

// gcscreatebucket BUCKET makes a bucket in the fake as if someone else
// had: versioning off, object ACLs allowed.
func cmdGCSCreateBucket(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: gcscreatebucket BUCKET")
	}
	fakeGCS(ts).CreateBucket(args[0])
}

// gcsholdlocks makes the fake Cloud Storage keep every terraform lock file
// until gcsreleaselocks (or the end of the script).
func cmdGCSHoldLocks(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: gcsholdlocks")
	}
	release := fakeGCS(ts).HoldUnlocks()
	ts.Defer(release)
	gcsHolds.Store(ts, release)
}

var gcsHolds sync.Map // *testscript.TestScript -> func()

func cmdGCSReleaseLocks(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: gcsreleaselocks")
	}
	if r, ok := gcsHolds.LoadAndDelete(ts); ok {
		r.(func())()
	}
}

// gcswait BUCKET NAME waits up to a minute for an object to appear (a lock
// file a background run takes).
func cmdGCSWait(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: gcswait BUCKET NAME")
	}
	waitFor(ts, "gs://"+args[0]+"/"+args[1]+" did not appear", func() bool {
		_, ok := fakeGCS(ts).Object(args[0], args[1])
		return ok
	})
}

// refusingProxy is an HTTP and HTTPS proxy that refuses every request and
// remembers it.
type refusingProxy struct {
	*httptest.Server
	mu      sync.Mutex
	refused []string
}

var refusingProxies sync.Map // *testscript.TestScript -> *refusingProxy

// refuseegress sends every HTTP and HTTPS request but those to the
// loopback (where the fakes listen, and which Go never proxies) to a proxy
// that refuses it; noegress then checks that none was made.
func cmdRefuseEgress(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: refuseegress")
	}
	refuseEgress(ts)
}

func refuseEgress(ts *testscript.TestScript) {
	p := startRefusingProxy(ts)
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		ts.Setenv(k, p.URL)
	}
	ts.Setenv("NO_PROXY", "")
	ts.Setenv("no_proxy", "")
}

func startRefusingProxy(ts *testscript.TestScript) *refusingProxy {
	p := &refusingProxy{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.refused = append(p.refused, r.Method+" "+r.Host)
		p.mu.Unlock()
		http.Error(w, "this test proxy lets nothing leave the machine", http.StatusForbidden)
	}))
	refusingProxies.Store(ts, p)
	ts.Defer(func() {
		refusingProxies.Delete(ts)
		p.Close()
	})
	return p
}

// noegress checks that nothing tried to leave the machine: neither the
// refusing proxy (refuseegress; fakegcs sets one too) nor fakeblob's
// proxy refused a request.
func cmdNoEgress(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: noegress")
	}
	var refused []string
	if v, ok := refusingProxies.Load(ts); ok {
		p := v.(*refusingProxy)
		p.mu.Lock()
		refused = append(refused, p.refused...)
		p.mu.Unlock()
	}
	if v, ok := fakeBlobs.Load(ts); ok {
		refused = append(refused, v.(*fakeblob.Server).Refused()...)
	}
	if len(refused) > 0 {
		ts.Fatalf("requests tried to leave the machine: %s", strings.Join(refused, ", "))
	}
}

// staleLockInfo is the lock information of a run that died: terraform's
// lock info as JSON.
func staleLockInfo(id, path, who string) []byte {
	data, _ := json.Marshal(map[string]any{"ID": id, "Operation": "OperationTypeApply", "Info": "",
		"Who": who, "Version": "1.11.4", "Created": time.Now().UTC(), "Path": path})
	return data
}

// gcsstalelock BUCKET NAME WHO leaves a lock file in the fake, as a run by
// WHO that died would.
func cmdGCSStaleLock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: gcsstalelock BUCKET NAME WHO")
	}
	fakeGCS(ts).PutObject(args[0], args[1], staleLockInfo("", "gs://"+args[0]+"/"+args[1], args[2]))
}

// s3stalelock BUCKET KEY WHO leaves a lock file in the fake S3, as a run
// by WHO that died would.
func cmdS3StaleLock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: s3stalelock BUCKET KEY WHO")
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIAFAKE", SecretAccessKey: "fake"}, nil
		})))
	ts.Check(err)
	c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(fakeS3(ts).URL)
		o.UsePathStyle = true
	})
	state := strings.TrimSuffix(args[1], ".tflock")
	info := staleLockInfo("7c0e4b1a-2d3f-4a5b-8c6d-9e0f1a2b3c4d", args[0]+"/"+state, args[2])
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(args[0]), Key: aws.String(args[1]), Body: bytes.NewReader(info)})
	ts.Check(err)
}

// blobstalelock CONTAINER NAME WHO leases the blob, with the lock
// information in its metadata, as a run by WHO that died would.
func cmdBlobStaleLock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: blobstalelock CONTAINER NAME WHO")
	}
	const id = "0b5a1d7e-3c4f-4e2a-9d6b-7f8e9a0b1c2d"
	info := staleLockInfo(id, args[0]+"/"+args[1], args[2])
	fakeBlob(ts).LeaseBlob(args[0], args[1], id, map[string]string{"terraformlockid": base64.StdEncoding.EncodeToString(info)})
}

var forceUnlockRE = regexp.MustCompile(`release the lock with: terraform -chdir=(\S+) force-unlock (\S+)`)

// forceunlock runs the force-unlock command the last command's stderr
// suggests (skyform's message for a state lock held elsewhere), with
// -force, since no one is there to confirm it.
func cmdForceUnlock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: forceunlock")
	}
	m := forceUnlockRE.FindStringSubmatch(ts.ReadFile("stderr"))
	if m == nil {
		ts.Fatalf("the last command's stderr suggests no force-unlock")
	}
	// As skyform runs it: without asking HashiCorp's checkpoint service
	// for news.
	ts.Setenv("CHECKPOINT_DISABLE", "1")
	tf := ts.Getenv("SKYFORM_TERRAFORM")
	if tf == "" {
		tf = "terraform"
	}
	if err := ts.Exec(tf, "-chdir="+m[1], "force-unlock", "-force", m[2]); err != nil {
		ts.Logf("%s", ts.ReadFile("stderr"))
		ts.Fatalf("terraform force-unlock: %v", err)
	}
}

// waitFor polls cond for up to a minute.
func waitFor(ts *testscript.TestScript, what string, cond func() bool) {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Fatalf("%s within a minute", what)
}

// fakeBlobs holds each script's fake Blob Storage.
var fakeBlobs sync.Map // *testscript.TestScript -> *fakeblob.Server

// fakeblob starts an in-process Azure Blob Storage for the script with the
// storage account acmetfstate and its container tfstate, and points
// terraform's azurerm backend at it without a setting of its own:
// $WORK/fakeblob.tfbackend sets metadata_host to the fake's metadata
// service, whose cloud environment has the fake's storage suffix, so the
// backend's blob endpoint is https://acmetfstate.blob.SUFFIX; HTTPS_PROXY
// tunnels that name (and the metadata host) to the fake and refuses every
// other; SSL_CERT_FILE trusts the fake's own certificate authority; and
// ARM_ACCESS_KEY holds the account key, which the fake checks every
// request's Shared Key signature against.
func cmdFakeBlob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: fakeblob")
	}
	srv, err := fakeblob.New("acmetfstate")
	ts.Check(err)
	srv.CreateContainer("tfstate")
	fakeBlobs.Store(ts, srv)
	ts.Defer(func() {
		fakeBlobs.Delete(ts)
		srv.Close()
	})
	ca := ts.MkAbs("fakeblob-ca.pem")
	ts.Check(os.WriteFile(ca, srv.CACert(), 0o644))
	for k, v := range map[string]string{
		"SSL_CERT_FILE": ca, "SSL_CERT_DIR": "",
		"HTTPS_PROXY": srv.Proxy, "https_proxy": srv.Proxy, "NO_PROXY": "", "no_proxy": "",
		"ARM_ACCESS_KEY": srv.Key, "ARM_USE_CLI": "false", "ARM_USE_MSI": "false",
		"ARM_CLIENT_ID": "", "ARM_CLIENT_SECRET": "", "ARM_SAS_TOKEN": "",
	} {
		ts.Setenv(k, v)
	}
	settings := fmt.Sprintf("metadata_host = %q\n", fakeblob.MetadataHost)
	ts.Check(os.WriteFile(ts.MkAbs("fakeblob.tfbackend"), []byte(settings), 0o644))
}

func fakeBlob(ts *testscript.TestScript) *fakeblob.Server {
	v, ok := fakeBlobs.Load(ts)
	if !ok {
		ts.Fatalf("no fake Blob Storage: run fakeblob first")
	}
	return v.(*fakeblob.Server)
}

// blobobject [!] CONTAINER NAME [RESOURCES] checks that a blob exists (or
// does not) in the fake's storage account; with RESOURCES, that it is a
// terraform state holding that many managed resources.
func cmdBlobObject(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 && (len(args) != 3 || neg) {
		ts.Fatalf("usage: blobobject [!] CONTAINER NAME | blobobject CONTAINER NAME RESOURCES")
	}
	data, _, ok := fakeBlob(ts).Blob(args[0], args[1])
	checkStateObject(ts, neg, fakeBlob(ts).BlobEndpoint()+"/"+args[0]+"/"+args[1], data, ok, args[2:])
}

// bloblocked [!] CONTAINER NAME checks that a blob is leased (or not)
// and, when leased, that terraform's lock information is in its metadata.
func cmdBlobLocked(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: [!] bloblocked CONTAINER NAME")
	}
	leased := fakeBlob(ts).Leased(args[0], args[1])
	_, meta, _ := fakeBlob(ts).Blob(args[0], args[1])
	switch {
	case leased && neg:
		ts.Fatalf("%s/%s is leased", args[0], args[1])
	case !leased && !neg:
		ts.Fatalf("%s/%s is not leased", args[0], args[1])
	case !leased && meta["terraformlockid"] != "":
		ts.Fatalf("%s/%s is not leased but still holds lock information", args[0], args[1])
	}
}

// blobholdlocks makes the fake keep every lease until blobreleaselocks
// (or the end of the script).
func cmdBlobHoldLocks(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: blobholdlocks")
	}
	release := fakeBlob(ts).HoldUnlocks()
	ts.Defer(release)
	blobHolds.Store(ts, release)
}

var blobHolds sync.Map // *testscript.TestScript -> func()

func cmdBlobReleaseLocks(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: blobreleaselocks")
	}
	if r, ok := blobHolds.LoadAndDelete(ts); ok {
		r.(func())()
	}
}

// blobwaitlocked CONTAINER NAME waits up to a minute for a blob to be
// leased with terraform's lock information (a background run's lock).
func cmdBlobWaitLocked(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: blobwaitlocked CONTAINER NAME")
	}
	waitFor(ts, args[0]+"/"+args[1]+" was not locked", func() bool {
		_, meta, _ := fakeBlob(ts).Blob(args[0], args[1])
		return fakeBlob(ts).Leased(args[0], args[1]) && meta["terraformlockid"] != ""
	})
}
