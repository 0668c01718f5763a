from eval.synth.generate import main

raise SystemExit(main())
