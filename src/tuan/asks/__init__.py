"""Ask for a recommendation: a member posts a request ("a 28-inch suitcase under 300") into a
group or into chats with chosen people; others answer with product cards; the asker marks the
one they chose."""
