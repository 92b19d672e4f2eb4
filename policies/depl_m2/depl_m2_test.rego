package certgate.depl_m2_test

import data.certgate.depl_m2

test_change_me_is_error if {
	depl_m2.is_error_placeholder("change-me-postgres")
	depl_m2.is_error_placeholder("postgres://u:CHANGE-ME-pw@db/x")
	not depl_m2.is_warning_placeholder("change-me-postgres")
}

test_change_me_needs_the_dash if {
	not depl_m2.is_error_placeholder("change-me")
	not depl_m2.is_error_placeholder("exchange-meter")
}

test_other_placeholders_warn if {
	every s in ["replace-with-a-secret", "CHANGE_ME", "changeme", "ChangeMe123", "<your-token>", "<YOUR_PASSWORD>"] {
		depl_m2.is_warning_placeholder(s)
		not depl_m2.is_error_placeholder(s)
	}
}

test_real_values_pass if {
	every s in ["s3cr3t", "${POSTGRES_PASSWORD:?set it}", "change", "your-token", "<none>"] {
		not depl_m2.is_warning_placeholder(s)
		not depl_m2.is_error_placeholder(s)
	}
}
