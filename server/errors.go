package server

import (
	"errors"

	"github.com/certgate/certgate/lint"
)

// Sentinels a server's main can branch on with errors.Is. Each violation error
// returned by Check wraps exactly one of them.
var (
	// ErrAgentBootstrapTokenRequired: SEC-H1. Set CERTCTL_AGENT_BOOTSTRAP_TOKEN.
	ErrAgentBootstrapTokenRequired = errors.New("agent bootstrap token required: set CERTCTL_AGENT_BOOTSTRAP_TOKEN to a random secret on the server and every agent, or, as a temporary bridge, set CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=false to keep warn-mode")
	// ErrACMEInsecureWithoutAck: SEC-M4. Set both ACME insecure variables or neither.
	ErrACMEInsecureWithoutAck = errors.New("ACME insecure mode without acknowledgement: set both CERTCTL_ACME_INSECURE=true and CERTCTL_ACME_INSECURE_ACK=true, or neither")
	// ErrDemoModeAckExpired: SEC-H3. Re-acknowledge the demo with a fresh timestamp.
	ErrDemoModeAckExpired = errors.New("demo mode acknowledgement missing or expired: set CERTCTL_DEMO_MODE_ACK_TS=$(date +%s) at every start, or remove CERTCTL_DEMO_MODE_ACK")
	// ErrPolicyViolation: any other rule at or above the gate's threshold.
	ErrPolicyViolation = errors.New("deployment policy violated: certctl would refuse to start or start unsafely; fix the finding")
	// ErrGateUnavailable: the policies could not be compiled or evaluated, or the
	// gate panicked. The gate fails closed: the server must not start.
	ErrGateUnavailable = errors.New("startup gate could not evaluate the policies; refusing to start")
)

// sentinels maps rule IDs to the sentinel their violations wrap.
var sentinels = map[string]error{
	"SEC-H1": ErrAgentBootstrapTokenRequired,
	"SEC-M4": ErrACMEInsecureWithoutAck,
	"SEC-H3": ErrDemoModeAckExpired,
}

// Sentinel returns the sentinel error for a rule ID (ErrPolicyViolation for
// rules without their own).
func Sentinel(rule string) error {
	if err, ok := sentinels[rule]; ok {
		return err
	}
	return ErrPolicyViolation
}

// ViolationError is one blocking finding. Its text starts with the rule ID and
// it unwraps to the rule's sentinel.
type ViolationError struct {
	Finding lint.Finding
}

func (e *ViolationError) Error() string {
	s := e.Finding.Rule + ": " + e.Finding.Message
	if loc := e.Finding.Location(); loc != "" && e.Finding.File != "" {
		s += " (" + loc + ")"
	}
	return s + ": " + Sentinel(e.Finding.Rule).Error()
}

// Unwrap returns the rule's sentinel.
func (e *ViolationError) Unwrap() error { return Sentinel(e.Finding.Rule) }
