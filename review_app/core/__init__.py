"""What every domain uses: model base, access rules, site context, view helpers."""
