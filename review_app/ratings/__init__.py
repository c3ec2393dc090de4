"""Rating a case on its instrument: answers, narratives, rationales, calculated ratings."""
