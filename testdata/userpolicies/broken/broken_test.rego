package certgate.user.broken_test

import data.certgate.user.broken

test_nothing if {
	count(broken.deny) == 0 with input as {"envs": []}
}
