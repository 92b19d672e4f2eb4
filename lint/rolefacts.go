package lint

import "slices"

// ServerOnlyVars are the variables whose presence makes an environment a
// server's (RoleFromVars), in the order they are tried: for evaluators outside
// Go (the Gatekeeper wrapper) that decide roles as DecideRole does.
func ServerOnlyVars() []string { return slices.Clone(serverOnlyVars) }

// AgentOnlyVars are the variables whose presence makes an environment an
// agent's when it sets no server-only variable.
func AgentOnlyVars() []string { return slices.Clone(agentOnlyVars) }

// ServerImagePattern and AgentImagePattern are the regular expressions
// RoleFromImage matches against ImageRepository.
func ServerImagePattern() string { return serverImage.String() }

// AgentImagePattern: see ServerImagePattern.
func AgentImagePattern() string { return agentImage.String() }
