from mkdocs_archplugin.cli import main

raise SystemExit(main())
