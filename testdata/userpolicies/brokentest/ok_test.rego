package certgate.user.fine_test

import data.certgate.user.fine

test_undefined_variable if {
	count(fine.info) == 0 with input as {"envs": []}
	unbound_var == 1
}
