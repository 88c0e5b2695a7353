// Package fakecloud serves, for tests, the cloud APIs skyform reads: an
// in-process HTTP server per cloud that speaks the real wire protocol of
// each API (AWS SQS's JSON protocol with X-Amz-Target, Lambda's and EKS's
// REST-JSON, RDS's query protocol answering XML) from an inventory file,
// pages its lists a few items at a time, answers chosen operations once with
// a throttling error (the SDK's retry must pass it) and refuses chosen
// operations as the cloud refuses a caller without the permission.
//
// The server is general: any test that needs these APIs (import, preflight
// checks) can start one from its own inventory.
package fakecloud
