TEST_PASSWORD = "pass-12345-word"
