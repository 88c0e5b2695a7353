package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/skyform/skyform/internal/fakes3"
)

// fakeS3s holds each script's fake S3, which lives in the test process for
// as long as the script runs.
var fakeS3s sync.Map // *testscript.TestScript -> *fakes3.Server

// fakeAWSEnv gives skyform, and through it terraform's S3 backend, fake
// credentials and nothing to read from the machine.
var fakeAWSEnv = [][2]string{
	{"AWS_ACCESS_KEY_ID", "AKIAFAKE"}, {"AWS_SECRET_ACCESS_KEY", "fake"}, {"AWS_REGION", "us-east-1"},
	{"AWS_CONFIG_FILE", "/dev/null"}, {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"}, {"AWS_EC2_METADATA_DISABLED", "true"},
}

// fakes3 starts an in-process S3 for the script, sets $S3_ENDPOINT to its
// address and fake AWS credentials in the environment, and writes
// $WORK/fakes3.tfbackend: the settings that point terraform's S3 backend
// at it, as a --backend-config file.
func cmdFakeS3(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: fakes3")
	}
	srv := fakes3.New()
	fakeS3s.Store(ts, srv)
	ts.Defer(func() {
		fakeS3s.Delete(ts)
		srv.Close()
	})
	ts.Setenv("S3_ENDPOINT", srv.URL)
	for _, kv := range fakeAWSEnv {
		ts.Setenv(kv[0], kv[1])
	}
	settings := fmt.Sprintf(`endpoints                   = { s3 = %q }
use_path_style              = true
skip_credentials_validation = true
skip_requesting_account_id  = true
skip_metadata_api_check     = true
`, srv.URL)
	ts.Check(os.WriteFile(ts.MkAbs("fakes3.tfbackend"), []byte(settings), 0o644))
}

func fakeS3(ts *testscript.TestScript) *fakes3.Server {
	v, ok := fakeS3s.Load(ts)
	if !ok {
		ts.Fatalf("no fake S3: run fakes3 first")
	}
	return v.(*fakes3.Server)
}

// s3object [!] BUCKET KEY checks that an object exists (or does not) in
// the fake S3.
func cmdS3Object(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: [!] s3object BUCKET KEY")
	}
	data, ok := fakeS3(ts).Object(args[0], args[1])
	switch {
	case ok && neg:
		ts.Fatalf("s3://%s/%s exists", args[0], args[1])
	case !ok && !neg:
		ts.Fatalf("s3://%s/%s does not exist", args[0], args[1])
	case ok:
		ts.Logf("s3://%s/%s: %d bytes", args[0], args[1], len(data))
	}
}

// s3bucket BUCKET reads the bucket's settings back with the AWS SDK and
// wants it versioned, encrypted by default and closed to the public.
func cmdS3Bucket(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: s3bucket BUCKET")
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
	b := aws.String(args[0])
	v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	ts.Check(err)
	if v.Status != types.BucketVersioningStatusEnabled {
		ts.Fatalf("bucket %s: versioning %q", args[0], v.Status)
	}
	e, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	ts.Check(err)
	if rules := e.ServerSideEncryptionConfiguration.Rules; len(rules) == 0 || rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm == "" {
		ts.Fatalf("bucket %s: no default encryption", args[0])
	}
	p, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	ts.Check(err)
	if pc := p.PublicAccessBlockConfiguration; !aws.ToBool(pc.BlockPublicAcls) || !aws.ToBool(pc.BlockPublicPolicy) || !aws.ToBool(pc.IgnorePublicAcls) || !aws.ToBool(pc.RestrictPublicBuckets) {
		ts.Fatalf("bucket %s: public access not fully blocked", args[0])
	}
}

// s3holdlocks makes the fake S3 keep every terraform lock file until
// s3releaselocks (or the end of the script): the run holding the state
// lock then holds it as long as the script needs.
func cmdS3HoldLocks(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: s3holdlocks")
	}
	release := fakeS3(ts).HoldUnlocks()
	ts.Defer(release)
	holds.Store(ts, release)
}

var holds sync.Map // *testscript.TestScript -> func()

func cmdS3ReleaseLocks(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: s3releaselocks")
	}
	if r, ok := holds.LoadAndDelete(ts); ok {
		r.(func())()
	}
}

// s3wait BUCKET KEY waits up to a minute for an object to appear (a lock
// file a background run takes).
func cmdS3Wait(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: s3wait BUCKET KEY")
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if _, ok := fakeS3(ts).Object(args[0], args[1]); ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Fatalf("s3://%s/%s did not appear within a minute", args[0], args[1])
}

// within DURATION exitcode|ptyexitcode N command args... runs a command
// (with an expected exit code, as exitcode or ptyexitcode does) and fails
// when it takes longer than DURATION.
func cmdWithin(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: within DURATION exitcode|ptyexitcode N command [args...]")
	}
	limit, err := time.ParseDuration(args[0])
	ts.Check(err)
	start := time.Now()
	switch args[1] {
	case "exitcode":
		cmdExitcode(ts, false, args[2:])
	case "ptyexitcode":
		// Killed at the limit: a command waiting for input must not hang the script.
		ptyExitcode(ts, false, args[2:], limit)
	default:
		ts.Fatalf("within: only exitcode and ptyexitcode commands are timed, not %s", strings.Join(args[1:], " "))
	}
	if took := time.Since(start); took > limit {
		ts.Fatalf("took %s, more than %s", took.Round(time.Millisecond), limit)
	}
}
