"""helpers: the reusable maths, plots and widgets behind the notebooks.

Maths (pure numpy; read these first, each in a few minutes):
    activations     σ and σ' for sigmoid, tanh, relu, identity; get_activation(name)
    forward         01  dense_forward:        z = Wx + b,  a = σ(z)
    activation_grad 02  activation_backward:  dL/dz = dL/da ⊙ σ'(z)
    weight_grad     03  weight_gradient:      dL/dW = dL/dz · xᵀ;  bias_gradient: dL/db = Σ columns of dL/dz
    input_grad      04  input_gradient:       dL/dx = Wᵀ · dL/dz;  dense_backward: all three at once
    network         05  the 3-4-2 sigmoid network, row convention: predict, loss, gradients, train,
                        train_history (the one loop behind train, train_curves and the η explorer);
                        make_dataset for a held-out test set
    conv            06  correlate2d, convolve2d, pad2d, im2col / col2im, conv2d_backward, conv_matrix
                        (the big matrix C), spread, conv2d_backward_as_convolutions (stride-s rules)
    softmax         07  softmax, softmax_jacobian: diag(p) − p pᵀ, cross_entropy,
                        cross_entropy_backward: (P − Y)/k; three_blobs, train_softmax_classifier
    conv_layer      08  conv_forward / conv_backward (channels, filters, bias, batch: z = Wx + b with
                        windows as examples), max and average pooling
    layers          09  Dense, Conv2D, ReLU, Sigmoid, MaxPool2D, Flatten, Standardize, Sequential:
                        forward / backward / params / grads, each calling the helpers of 01-08
    digits          09  scikit-learn's bundled digits (load_digits_data, split_digits), train (mini-batch
                        SGD), sgd_step, evaluate, confusion_matrix, input_gradient_of_loss, fgsm,
                        make_mlp / make_cnn, trained_cnn
    gradcheck       numerical_gradient, relative_error, gradient_check: the referee for every gradient
    shapes          the shape checks behind every ValueError
    stepper         Step: one equation of a step-through, with what it reads and writes
Plots and widgets (matplotlib + ipywidgets, built on the maths; every widget comes from a
``*_explorer`` or ``*_stepper`` function that runs with no arguments):
    live            LiveFigure (a figure redrawn in place, for the screen's pixel ratio) and Explorer (base of every widget)
    flipbook        Flipbook: an explorer's next states drawn ahead by a hidden copy and kept in the page,
                    so a slider shows them without waiting for the kernel; @recipe marks the factories
    stepper_ui      Stepper: Prev / Next / Play through a list of Step, numbers kept live
    forward_ui      01  computation graph, activation plots, forward_explorer
    activation_grad_ui  02  σ' plots, activation_gradient_explorer (vanishing gradients with depth)
    weight_grad_ui  03  weight_gradient_explorer (the dL/dW heatmap)
    input_grad_ui   04  backward_stepper, two_layer_backward_stepper
    network_ui      05  draw_network, eta_explorer, network_stepper
    conv_ui         06  window_stepper, filter_explorer
    softmax_ui      07  softmax_explorer, train_test_explorer, plot_decision_regions
    conv_layer_ui   08  conv_window_stepper, pooling_stepper
    digits_ui       09  digit grids, training curves, confusion matrix, filters; digit_explorer,
                        adversarial_explorer, training_explorer
Serving: nodelay (a Jupyter server extension: kernel messages reach the page without Nagle's 40 ms wait).
Notebook support: notebook (setup_notebook), checks (exercise self-checks), latex (matrices as LaTeX).

Import from the modules, e.g. ``from helpers.forward import dense_forward``.
"""
