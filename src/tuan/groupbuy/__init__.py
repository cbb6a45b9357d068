"""Team purchase (拼团): teams of N buy at the team price if all pay before the deadline."""
