from trackly_desktop.app import main

raise SystemExit(main())
