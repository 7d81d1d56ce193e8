"""Phone numbers to E.164, exactly as phonenumbers decides, fast on whole columns."""
