from nominator.cli import main

raise SystemExit(main())
